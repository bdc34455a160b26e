import * as Sentry from '@sentry/node';
import type { ReceivedEvent } from '../../../src/modules/ingest/index.js';

/** The items of one envelope as the SDK serialised it: header line, then item header + payload lines. */
function parseEnvelope(body: string | Uint8Array): Array<{ type: string; payload: Record<string, unknown> }> {
  const buf = typeof body === 'string' ? Buffer.from(body) : Buffer.from(body);
  let pos = buf.indexOf(0x0a) + 1; // past the envelope header
  const items: Array<{ type: string; payload: Record<string, unknown> }> = [];
  while (pos > 0 && pos < buf.length) {
    const headerEnd = buf.indexOf(0x0a, pos);
    const header = JSON.parse(buf.subarray(pos, headerEnd).toString()) as { type: string; length?: number };
    const start = headerEnd + 1;
    const end = header.length !== undefined ? start + header.length : (buf.indexOf(0x0a, start) === -1 ? buf.length : buf.indexOf(0x0a, start));
    items.push({ type: header.type, payload: JSON.parse(buf.subarray(start, end).toString()) as Record<string, unknown> });
    pos = end + 1;
  }
  return items;
}

export interface CaptureOptions {
  release?: string;
  environment?: string;
}

/**
 * Runs `fn` against a real @sentry/node client whose transport keeps the serialised envelopes it
 * would POST (no network), and returns the `event` items' payloads as the intake would parse them.
 */
export async function captureEvents(fn: (sentry: typeof Sentry) => void | Promise<void>, opts: CaptureOptions = {}): Promise<Array<Record<string, unknown>>> {
  const bodies: Array<string | Uint8Array> = [];
  Sentry.init({
    dsn: 'http://public@127.0.0.1:9/1',
    release: opts.release,
    environment: opts.environment ?? 'production',
    defaultIntegrations: false,
    integrations: [Sentry.contextLinesIntegration(), Sentry.linkedErrorsIntegration()],
    transport: (options) => Sentry.createTransport(options, async (request) => {
      bodies.push(request.body);
      return { statusCode: 200 };
    }),
  });
  await fn(Sentry);
  await Sentry.flush(5000);
  await Sentry.close(5000);
  return bodies.flatMap(parseEnvelope).filter((i) => i.type === 'event').map((i) => i.payload);
}

/** A captured event as the intake hands it over for one service. */
export function asReceived(payload: Record<string, unknown>, source: { orgId: string; projectId: string; serviceId: string }, receivedAt = new Date()): ReceivedEvent {
  return {
    ...source,
    keyId: '00000000-0000-4000-8000-000000000000',
    eventId: String(payload.event_id),
    receivedAt: receivedAt.toISOString(),
    payload,
    clientIp: '127.0.0.1',
    attachments: [],
  };
}
