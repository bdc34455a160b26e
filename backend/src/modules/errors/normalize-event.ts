import { ISSUE_LEVELS, type Breadcrumb, type IssueLevel } from '@syntra/shared';
import type { ReceivedEvent } from '../ingest/index.js';
import { normalizeExceptions, normalizeFrames, threadStack } from './normalize-frames.js';
import type { NormalizedEvent } from './normalized-event.js';
import { arr, obj, pairs, record, str, time, values, type Json } from './normalize-values.js';

const MAX_BREADCRUMBS = 100;
/** An SDK clock this far ahead, or an event this old, is not believed: the receive time is used. */
const MAX_FUTURE_MS = 60_000;
const MAX_AGE_MS = 30 * 86_400_000;
/** Header values never shown to readers of an event, whatever the SDK was told to send. */
const SECRET_HEADERS = /^(authorization|proxy-authorization|cookie|set-cookie|x-api-key|x-auth-token|x-csrf-token|x-sentry-auth)$/i;

const LEVEL_ALIASES: Record<string, IssueLevel> = { warn: 'warning', critical: 'fatal', log: 'info', trace: 'debug' };

function level(v: unknown, fallback: IssueLevel): IssueLevel {
  const s = str(v, 20)?.toLowerCase();
  if (!s) return fallback;
  if ((ISSUE_LEVELS as readonly string[]).includes(s)) return s as IssueLevel;
  return LEVEL_ALIASES[s] ?? fallback;
}

/** printf-style `%s`/`%d` (Python's logging, Sentry's logentry) filled from params. */
function format(template: string, params: unknown): string {
  const list = Array.isArray(params) ? params : [];
  let i = 0;
  return template.replace(/%[sdifr%]/g, (m) => (m === '%%' ? '%' : i < list.length ? String(typeof list[i] === 'object' ? JSON.stringify(list[i++]) : list[i++]) : m));
}

function message(p: Json): { message: string | null; template: string | null } {
  const logentry = obj(p.logentry) ?? obj(p.message);
  if (logentry) {
    const template = str(logentry.message, 8192);
    const formatted = str(logentry.formatted, 8192) ?? (template !== null ? format(template, logentry.params) : null);
    return { message: formatted ?? str(p.message, 8192), template };
  }
  return { message: str(p.message, 8192), template: null };
}

function breadcrumbs(v: unknown): Breadcrumb[] {
  return values(v)
    .slice(-MAX_BREADCRUMBS)
    .map(obj)
    .filter((b): b is Json => b !== null)
    .map((b) => ({
      timestamp: time(b.timestamp)?.toISOString() ?? null,
      type: str(b.type, 100),
      category: str(b.category, 200),
      level: str(b.level, 20),
      message: str(b.message, 4096),
      data: obj(b.data) ? record(b.data) : null,
    }));
}

function request(v: unknown): NormalizedEvent['request'] {
  const r = obj(v);
  if (!r) return null;
  const headers = pairs(r.headers, 100, 200, 2000);
  for (const k of Object.keys(headers)) if (SECRET_HEADERS.test(k)) headers[k] = '[Filtered]';
  const qs = typeof r.query_string === 'string' ? str(r.query_string, 4096) : r.query_string ? str(JSON.stringify(r.query_string), 4096) : null;
  return { url: str(r.url, 2000), method: str(r.method, 20), query_string: qs, headers, data: r.data ?? null };
}

function user(v: unknown, clientIp: string | null): NormalizedEvent['user'] {
  const u = obj(v);
  if (!u) return null;
  // `{{auto}}`: the SDK asks for the sender's address (browser SDKs with sendDefaultPii).
  const ip = u.ip_address === '{{auto}}' ? clientIp : str(u.ip_address, 100);
  const out = { id: str(u.id, 200), email: str(u.email, 320), username: str(u.username, 200), ip_address: ip };
  return out.id || out.email || out.username || out.ip_address ? out : null;
}

function isSynthetic(v: unknown): boolean {
  const first = obj(values(v)[0]);
  return obj(first?.mechanism)?.synthetic === true;
}

function eventTime(v: unknown, receivedAt: Date): Date {
  const t = time(v);
  if (!t) return receivedAt;
  const delta = t.getTime() - receivedAt.getTime();
  return delta > MAX_FUTURE_MS || -delta > MAX_AGE_MS ? receivedAt : t;
}

/** What normalisation reads of a received event. */
export type ReceivedEventLike = Pick<ReceivedEvent, 'eventId' | 'receivedAt' | 'payload' | 'clientIp' | 'attachments'>;

/** Turns what an SDK sent into the stored shape. Never throws: a field it cannot read is left out. */
export function normalizeEvent(e: ReceivedEventLike): NormalizedEvent {
  const p = e.payload;
  const receivedAt = time(e.receivedAt) ?? new Date();
  let exceptions = normalizeExceptions(p.exception);
  const msg = message(p);
  let topStack = normalizeFrames(p.stacktrace);
  // A message captured with attachStacktrace arrives as a synthetic exception (no type, the message
  // as value): it is a message event with a stack trace, titled and grouped as such.
  const synthetic = exceptions.length === 1 && isSynthetic(p.exception) && msg.message !== null;
  if (synthetic) {
    if (topStack.length === 0) topStack = exceptions[0]!.frames;
    exceptions = [];
  }
  const sdk = obj(p.sdk);
  const fingerprint = arr(p.fingerprint).map((f) => str(f, 500)).filter((f): f is string => f !== null).slice(0, 50);
  return {
    event_id: e.eventId,
    timestamp: eventTime(p.timestamp, receivedAt).toISOString(),
    received_at: receivedAt.toISOString(),
    platform: str(p.platform, 32),
    level: level(p.level, exceptions.length > 0 ? 'error' : 'info'),
    logger: str(p.logger, 200),
    transaction: str(p.transaction, 500) ?? str(p.culprit, 500),
    server_name: str(p.server_name, 200),
    release: str(p.release, 200),
    environment: str(p.environment, 64),
    message: msg.message,
    message_template: msg.template,
    exceptions,
    stacktrace: topStack.length > 0 ? topStack : threadStack(p.threads),
    breadcrumbs: breadcrumbs(p.breadcrumbs),
    tags: pairs(p.tags, 100, 200, 200),
    contexts: record(p.contexts),
    extra: record(p.extra),
    request: request(p.request),
    user: user(p.user, e.clientIp),
    sdk: sdk ? { name: str(sdk.name, 100), version: str(sdk.version, 50) } : null,
    fingerprint: fingerprint.length > 0 ? fingerprint : null,
    attachments: e.attachments.map((a) => ({ filename: a.filename, content_type: a.contentType, size: a.size })),
  };
}
