import type { LogRecord, SeverityLevel } from '@syntra/shared';
import { C } from './schema.js';
import type { Params } from './sql.js';

/**
 * A line's level from its severity number (OTLP ranges: 1–4 trace … 21–24 fatal), or from its text
 * when the number is unset (agents' plain-text lines, logs without a number).
 */
export const LEVEL_SQL = `multiIf(
  SeverityNumber >= 21, 'fatal', SeverityNumber >= 17, 'error', SeverityNumber >= 13, 'warn',
  SeverityNumber >= 9, 'info', SeverityNumber >= 5, 'debug', SeverityNumber >= 1, 'trace',
  lower(SeverityText) IN ('fatal', 'critical', 'crit', 'panic', 'emerg', 'alert'), 'fatal',
  lower(SeverityText) IN ('error', 'err'), 'error',
  lower(SeverityText) IN ('warn', 'warning'), 'warn',
  lower(SeverityText) = 'debug', 'debug',
  lower(SeverityText) = 'trace', 'trace',
  'info')`;

/** A stable key of one line within its timestamp (no row id in ClickHouse): part of the line id and cursor. */
export const ROW_HASH_SQL = 'sipHash64(Body, TraceId, SpanId, LogAttributes)';

export const LOG_COLUMNS = `toString(toUnixTimestamp64Nano(Timestamp)) AS ns, toString(${ROW_HASH_SQL}) AS h, ${LEVEL_SQL} AS level,
  SeverityText, SeverityNumber, Body, ServiceName, ${C.service} AS service_id, ${C.deployment} AS deployment_id,
  LogAttributes, ResourceAttributes, TraceId, SpanId`;

export interface LogRow {
  ns: string;
  h: string;
  level: SeverityLevel;
  SeverityText: string;
  SeverityNumber: number;
  Body: string;
  ServiceName: string;
  service_id: string | null;
  deployment_id: string | null;
  LogAttributes: Record<string, string>;
  ResourceAttributes: Record<string, string>;
  TraceId: string;
  SpanId: string;
}

const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/** `<unix ns>-<row hash>`: a line's id and a keyset cursor alike (digits only, so nothing to escape). */
export const lineKey = (ns: string, h: string) => `${ns}-${h}`;
export function parseLineKey(key: string): { ns: string; h: string } | null {
  const m = /^(\d{1,20})-(\d{1,20})$/.exec(key);
  if (!m || BigInt(m[1]!) > INT64_MAX || BigInt(m[2]!) > UINT64_MAX) return null;
  return { ns: m[1]!, h: m[2]! };
}

const nsToIso = (ns: string) => new Date(Number(BigInt(ns) / 1_000_000n)).toISOString();
const idOrNull = (v: string | null) => (v && v !== '00000000-0000-0000-0000-000000000000' ? v : null);

export function toLogRecord(r: LogRow): LogRecord {
  return {
    id: lineKey(r.ns, r.h),
    timestamp: nsToIso(r.ns),
    timestamp_ns: r.ns,
    severity: r.level,
    severity_text: r.SeverityText,
    severity_number: r.SeverityNumber,
    body: r.Body,
    service_id: idOrNull(r.service_id),
    service_name: r.ServiceName,
    attributes: r.LogAttributes,
    resource_attributes: r.ResourceAttributes,
    trace_id: r.TraceId,
    span_id: r.SpanId,
    deployment_id: idOrNull(r.deployment_id),
  };
}

export interface LogFilter {
  orgId: string;
  fromMs?: number | undefined;
  toMs?: number | undefined;
  serviceId?: string | undefined;
  q?: string | undefined;
  severity?: readonly SeverityLevel[] | undefined;
  traceId?: string | undefined;
  deploymentId?: string | undefined;
  attrs?: Record<string, string> | undefined;
}

/** Words and "quoted phrases" of a search: each must appear in the body (any case). */
export function searchTerms(q: string): string[] {
  const out: string[] = [];
  for (const m of q.matchAll(/"([^"]*)"|(\S+)/g)) {
    const term = (m[1] ?? m[2] ?? '').trim();
    if (term) out.push(term);
  }
  return out.slice(0, 20);
}

/** A term that is one ASCII token (what the tokenbf index splits bodies into: runs of letters and digits). */
const WORD = /^[A-Za-z0-9]+$/;
/** ClickHouse's token separators: every ASCII character but letters and digits (bytes past ASCII are word characters). */
// eslint-disable-next-line no-control-regex -- control characters are separators too
const SEPARATOR = /[\x00-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f]/;
/** The ASCII words of a term with a separator on both sides inside it: whole words of any body that contains the term. */
function innerWords(term: string): string[] {
  const parts = term.split(SEPARATOR);
  // The first and last parts touch the term's ends: in a body they may run on into longer words.
  return parts.slice(1, -1).filter((t) => WORD.test(t)).map((t) => t.toLowerCase());
}

/**
 * One search term as SQL the `lower(Body)` tokenbf index (idx_body_lower) can answer, so granules
 * without the word are skipped before Body is read:
 * - a plain word matches it as a whole word in any case (`hasToken`): "timeout" finds "upstream
 *   Timeout:" but not "timeouts", as log search tools match words;
 * - anything else ("a phrase", /api/orders, status=500, non-ASCII) is a case-insensitive substring,
 *   plus `hasToken` for the words it fully contains (between two separators), which every match
 *   has as whole words too: the same lines, fewer granules.
 */
export function termSql(term: string, p: Params): string {
  if (WORD.test(term)) return `hasToken(lower(Body), ${p.add(term.toLowerCase(), 'String')})`;
  const aids = [...new Set(innerWords(term))].map((t) => `hasToken(lower(Body), ${p.add(t, 'String')})`);
  return [...aids, `positionCaseInsensitiveUTF8(Body, ${p.add(term, 'String')}) > 0`].join(' AND ');
}

/**
 * The WHERE of a log search. The organisation comes first (it leads the sort key, and it is the
 * tenancy wall: every statement names it), then service and time (the rest of the key).
 */
export function logWhere(f: LogFilter, p: Params): string[] {
  const w = [`${C.org} = ${p.add(f.orgId, C.idType)}`];
  if (f.serviceId) w.push(`${C.service} = ${p.add(f.serviceId, C.idType)}`);
  // TimestampTime (seconds) is in the primary key and the partition key: bounding it prunes parts and
  // granules; Timestamp then cuts to the exact millisecond.
  if (f.fromMs !== undefined) {
    w.push(`TimestampTime >= toDateTime(${p.add(Math.floor(f.fromMs / 1000), 'Int64')})`);
    w.push(`Timestamp >= fromUnixTimestamp64Milli(${p.add(f.fromMs, 'Int64')})`);
  }
  if (f.toMs !== undefined) {
    w.push(`TimestampTime <= toDateTime(${p.add(Math.ceil(f.toMs / 1000), 'Int64')})`);
    w.push(`Timestamp < fromUnixTimestamp64Milli(${p.add(f.toMs, 'Int64')})`);
  }
  if (f.traceId) w.push(`TraceId = ${p.add(f.traceId, 'String')}`);
  if (f.deploymentId) w.push(`${C.deployment} = ${p.add(f.deploymentId, C.deploymentType)}`);
  if (f.severity?.length) w.push(`${LEVEL_SQL} IN ${p.add(f.severity, 'Array(String)')}`);
  for (const term of searchTerms(f.q ?? '')) w.push(termSql(term, p));
  for (const [k, v] of Object.entries(f.attrs ?? {})) {
    const key = p.add(k, 'String');
    const value = p.add(v, 'String');
    // `service.name` is also the ServiceName column (agents' lines carry no resource attributes).
    w.push(`LogAttributes[${key}] = ${value} OR ResourceAttributes[${key}] = ${value}${k === 'service.name' ? ` OR ServiceName = ${value}` : ''}`);
  }
  return w;
}
