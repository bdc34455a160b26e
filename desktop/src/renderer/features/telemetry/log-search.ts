import { type LogRecord, SEVERITY_LEVELS, type SeverityLevel } from '@syntra/shared';

/** What the search box says: free words, `key:value` attribute filters, `level:`/`trace:`/`service:` shortcuts. */
export interface LogSearch {
  q: string;
  attrs: Record<string, string>;
  severity: SeverityLevel[];
  traceId: string | null;
}

/** `checkout failed http.status_code:500 level:error "two words" trace:abc…` → filters. */
export function parseLogSearch(text: string): LogSearch {
  const words: string[] = [];
  const attrs: Record<string, string> = {};
  const severity: SeverityLevel[] = [];
  let traceId: string | null = null;
  for (const m of text.matchAll(/([\w.\-/@]+):(?:"([^"]*)"|(\S+))|"([^"]*)"|(\S+)/g)) {
    const [, key, quotedValue, value, phrase, word] = m;
    if (key) {
      const v = quotedValue ?? value ?? '';
      const k = key.toLowerCase();
      if ((k === 'level' || k === 'severity') && (SEVERITY_LEVELS as readonly string[]).includes(v.toLowerCase())) severity.push(v.toLowerCase() as SeverityLevel);
      else if ((k === 'trace' || k === 'trace_id') && /^[0-9a-f]{32}$/i.test(v)) traceId = v.toLowerCase();
      else if (k === 'service') attrs['service.name'] = v;
      else attrs[key] = v;
    } else if (phrase !== undefined) words.push(`"${phrase}"`);
    else if (word) words.push(word);
  }
  return { q: words.join(' '), attrs, severity, traceId };
}

/** The query parameters of a log search (`attr.<key>` for each attribute filter). */
export function searchQuery(s: LogSearch, extraSeverity: readonly SeverityLevel[]): Record<string, string | undefined> {
  const severity = [...new Set([...s.severity, ...extraSeverity])];
  const out: Record<string, string | undefined> = { q: s.q || undefined, severity: severity.length ? severity.join(',') : undefined, trace_id: s.traceId ?? undefined };
  for (const [k, v] of Object.entries(s.attrs)) out[`attr.${k}`] = v;
  return out;
}

function terms(q: string): string[] {
  return [...q.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => (m[1] ?? m[2] ?? '').toLowerCase()).filter(Boolean);
}

/** The server's search rule applied to a live-tail line (same filters, so tail and search agree). */
export function matchesSearch(line: LogRecord, s: LogSearch, extraSeverity: readonly SeverityLevel[], serviceId?: string): boolean {
  if (serviceId && line.service_id !== serviceId) return false;
  const severity = [...s.severity, ...extraSeverity];
  if (severity.length && !severity.includes(line.severity)) return false;
  if (s.traceId && line.trace_id !== s.traceId) return false;
  const body = line.body.toLowerCase();
  // As the server: a plain word matches a whole word (its token index), anything else as written.
  const words = new Set(body.split(/[^a-z0-9\u0080-\uffff]+/));
  if (!terms(s.q).every((t) => (/^[a-z0-9]+$/.test(t) ? words.has(t) : body.includes(t)))) return false;
  return Object.entries(s.attrs).every(([k, v]) => line.attributes[k] === v || line.resource_attributes[k] === v || (k === 'service.name' && line.service_name === v));
}
