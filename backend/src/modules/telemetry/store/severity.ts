// Severity of a line a service printed, as the OpenTelemetry log data model numbers it
// (TRACE 1, DEBUG 5, INFO 9, WARN 13, ERROR 17, FATAL 21), from a JSON log's `level`/`severity`
// field (words, or pino/bunyan's numbers) or a level word near the start of a plain line.

export interface Severity {
  text: string;
  number: number;
}

const WORDS: Record<string, Severity> = {
  trace: { text: 'TRACE', number: 1 },
  debug: { text: 'DEBUG', number: 5 },
  info: { text: 'INFO', number: 9 },
  information: { text: 'INFO', number: 9 },
  notice: { text: 'INFO', number: 10 },
  warn: { text: 'WARN', number: 13 },
  warning: { text: 'WARN', number: 13 },
  error: { text: 'ERROR', number: 17 },
  err: { text: 'ERROR', number: 17 },
  crit: { text: 'FATAL', number: 21 },
  critical: { text: 'FATAL', number: 21 },
  fatal: { text: 'FATAL', number: 21 },
  panic: { text: 'FATAL', number: 21 },
  emerg: { text: 'FATAL', number: 21 },
};

/** pino / bunyan numeric levels. */
function fromNumber(n: number): Severity | null {
  if (n >= 60) return WORDS.fatal!;
  if (n >= 50) return WORDS.error!;
  if (n >= 40) return WORDS.warn!;
  if (n >= 30) return WORDS.info!;
  if (n >= 20) return WORDS.debug!;
  if (n >= 10) return WORDS.trace!;
  return null;
}

export function severityOf(value: unknown): Severity | null {
  if (typeof value === 'number') return fromNumber(value);
  if (typeof value === 'string') return WORDS[value.trim().toLowerCase()] ?? (/^\d+$/.test(value) ? fromNumber(Number(value)) : null);
  return null;
}

// A level word as a line's first token, or bracketed/prefixed early on: "ERROR …", "[warn] …",
// "2026-12-01T10:00:00Z INFO …", "level=error …".
const PLAIN = /^(?:\S+\s+){0,3}?[[(<]?(?:level=)?(trace|debug|info|information|notice|warn|warning|error|err|crit|critical|fatal|panic|emerg)\b[\])>:]?/i;

export interface ParsedLine {
  severity: Severity | null;
  /** Scalar top-level fields of a JSON line (strings as they are, others as JSON), at most 64. */
  attributes: Record<string, string>;
  traceId: string;
  spanId: string;
}

const HEX32 = /^[0-9a-f]{32}$/i;
const HEX16 = /^[0-9a-f]{16}$/i;
const MAX_ATTRIBUTES = 64;

/** What a log line says about itself: severity, and for JSON lines their fields and trace context. */
export function parseLine(line: string): ParsedLine {
  const out: ParsedLine = { severity: null, attributes: {}, traceId: '', spanId: '' };
  const trimmed = line.trimStart();
  if (trimmed.startsWith('{')) {
    let obj: unknown;
    try {
      obj = JSON.parse(trimmed);
    } catch {
      obj = null;
    }
    if (obj && typeof obj === 'object' && !Array.isArray(obj)) {
      const o = obj as Record<string, unknown>;
      out.severity = severityOf(o.level) ?? severityOf(o.severity) ?? severityOf(o.severity_text) ?? severityOf(o.lvl);
      for (const [k, v] of Object.entries(o)) {
        if (Object.keys(out.attributes).length >= MAX_ATTRIBUTES) break;
        if (v === null || typeof v === 'object') continue;
        out.attributes[k.slice(0, 200)] = (typeof v === 'string' ? v : JSON.stringify(v)).slice(0, 4096);
      }
      const trace = o.trace_id ?? o.traceId ?? o['trace.id'];
      const span = o.span_id ?? o.spanId ?? o['span.id'];
      if (typeof trace === 'string' && HEX32.test(trace)) out.traceId = trace.toLowerCase();
      if (typeof span === 'string' && HEX16.test(span)) out.spanId = span.toLowerCase();
      return out;
    }
  }
  const m = PLAIN.exec(trimmed.slice(0, 200));
  if (m) out.severity = WORDS[m[1]!.toLowerCase()] ?? null;
  return out;
}
