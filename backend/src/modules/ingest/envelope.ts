/**
 * Sentry's envelope framing: a JSON header line, then items, each a JSON header line (`type`,
 * optional `length` in bytes) and a payload. With `length`, the payload is exactly that many bytes
 * (a newline may follow); without it, the payload runs to the next newline or the end. Parsed from
 * bytes (lengths count bytes, not characters) without copying payloads.
 */

export class EnvelopeError extends Error {}

export interface EnvelopeItem {
  header: Record<string, unknown> & { type: string };
  payload: Buffer;
}

export interface Envelope {
  header: Record<string, unknown>;
  items: EnvelopeItem[];
}

const NL = 0x0a;

function jsonObject(bytes: Buffer, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new EnvelopeError(`${what} is not valid JSON`);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new EnvelopeError(`${what} must be a JSON object`);
  return value as Record<string, unknown>;
}

/** The line starting at `pos`, without its newline, and where the next one starts. */
function lineAt(buf: Buffer, pos: number): { line: Buffer; next: number } {
  const end = buf.indexOf(NL, pos);
  return end === -1 ? { line: buf.subarray(pos), next: buf.length } : { line: buf.subarray(pos, end), next: end + 1 };
}

export function parseEnvelope(buf: Buffer, maxItems = 1000): Envelope {
  if (!buf.length) throw new EnvelopeError('empty envelope');
  const first = lineAt(buf, 0);
  const header = jsonObject(first.line, 'envelope header');
  const items: EnvelopeItem[] = [];
  let pos = first.next;
  while (pos < buf.length) {
    const { line, next } = lineAt(buf, pos);
    // Blank lines between items (a trailing newline, CRLF leftovers) are not items.
    if (!line.length || (line.length === 1 && line[0] === 0x0d)) {
      pos = next;
      continue;
    }
    const itemHeader = jsonObject(line, `item ${items.length + 1} header`);
    if (typeof itemHeader.type !== 'string' || !itemHeader.type) throw new EnvelopeError(`item ${items.length + 1} has no type`);
    let payload: Buffer;
    if (itemHeader.length !== undefined && itemHeader.length !== null) {
      const length = itemHeader.length;
      if (typeof length !== 'number' || !Number.isInteger(length) || length < 0) throw new EnvelopeError(`item ${items.length + 1}: length must be a non-negative integer`);
      if (next + length > buf.length) throw new EnvelopeError(`item ${items.length + 1}: length ${length} runs past the end of the envelope`);
      payload = buf.subarray(next, next + length);
      pos = next + length;
      if (pos < buf.length) {
        if (buf[pos] !== NL) throw new EnvelopeError(`item ${items.length + 1}: payload is not followed by a newline`);
        pos += 1;
      }
    } else {
      if (next >= buf.length && buf[buf.length - 1] !== NL) {
        // A header with nothing after it: the envelope was cut short.
        throw new EnvelopeError(`item ${items.length + 1}: truncated (no payload)`);
      }
      const p = lineAt(buf, next);
      payload = p.line;
      pos = p.next;
    }
    items.push({ header: itemHeader as EnvelopeItem['header'], payload });
    if (items.length > maxItems) throw new EnvelopeError(`more than ${maxItems} items`);
  }
  return { header, items };
}
