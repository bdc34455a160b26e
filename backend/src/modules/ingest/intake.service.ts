import { randomUUID } from 'node:crypto';
import { keyFromDsn, keyFromRequest } from './auth.js';
import { DecodeError, InflateLimitError, decodeBody } from './decompress.js';
import { type Envelope, EnvelopeError, type EnvelopeItem, parseEnvelope } from './envelope.js';
import type { IntakeCounter, IntakeCounters } from './intake-counters.js';
import type { IngestRepo, NewQueueRow } from './ingest.repo.js';
import type { ResolvedClientKey, StoredAttachment } from './ports.js';
import type { QueueWriter } from './queue-writer.js';
import { type IntakeRateLimiter, sentryRateLimitHeader } from './rate-limiter.js';

/** The key look-up the intake needs: the port's resolver, plus the browser origins of the key's service. */
export interface IntakeKeyResolver {
  resolve(publicKey: string): Promise<(ResolvedClientKey & { allowedOrigins?: string[] | null }) | null>;
  /** For preflights (no key yet): the origins a project ref allows; null when there is no such ref. */
  originsOfRef(projectRef: number): Promise<{ allowedOrigins: string[] | null } | null>;
}

export interface IntakeLimits {
  /** One event (or transaction) after decompression. */
  maxEventBytes: number;
  /** A whole envelope, after decompression (and the compressed body too). */
  maxEnvelopeBytes: number;
  maxAttachmentBytes: number;
  /** When the oldest unprocessed item is older than this, new items get 429 until the workers catch up. */
  maxLagSeconds: number;
}

export const DEFAULT_LIMITS: IntakeLimits = { maxEventBytes: 1 << 20, maxEnvelopeBytes: 20 << 20, maxAttachmentBytes: 10 << 20, maxLagSeconds: 60 };

export interface IntakeRequest {
  projectRef: number;
  endpoint: 'envelope' | 'store';
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  origin: string | null;
  clientIp: string | null;
}

export interface IntakeAnswer {
  status: number;
  body: Record<string, unknown>;
  headers?: Record<string, string>;
}

/** A refusal: the status and message the SDK gets (`{"detail": …}`, as Sentry answers). */
export class IntakeError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
    /** Which counter of the service the refused items go to, when the service is known. */
    readonly counter?: IntakeCounter,
  ) {
    super(message);
  }
}

const HEX32 = /^[0-9a-f]{32}$/;
function eventIdOf(...candidates: unknown[]): string {
  for (const c of candidates) {
    if (typeof c !== 'string') continue;
    const id = c.replace(/-/g, '').toLowerCase();
    if (HEX32.test(id)) return id;
  }
  return randomUUID().replace(/-/g, '');
}

/** What `@sentry/node` 11 sends by default (`traceLifecycle: 'stream'`): a container of spans. */
export const SPAN_V2_CONTENT_TYPE = 'application/vnd.sentry.items.span.v2+json';

interface JsonItem {
  kind: 'event' | 'transaction' | 'span';
  text: string;
  payload: Record<string, unknown>;
}

/**
 * The Sentry intake: authenticates, frames, checks limits and makes items durable. Nothing is
 * stored unless the whole request is valid; the answer is 200 only after the queue commit.
 */
export class IntakeService {
  private lag: { at: number; seconds: number } = { at: 0, seconds: 0 };

  constructor(
    private readonly deps: {
      keys: IntakeKeyResolver;
      repo: IngestRepo;
      writer: QueueWriter;
      counters: IntakeCounters;
      rateLimiter: IntakeRateLimiter;
      limits: IntakeLimits;
      /** Transactions are queued only when a TransactionProcessor consumes them; otherwise counted. */
      keepTransactions: boolean;
      /** Span v2 items likewise, when a SpanProcessor consumes them. */
      keepSpans?: boolean;
    },
  ) {}

  /** Whether a browser at `origin` may post to this ref (a preflight). */
  async preflightAllowed(projectRef: number, origin: string): Promise<boolean> {
    const ref = await this.deps.keys.originsOfRef(projectRef);
    return Boolean(ref) && originAllowed(ref!.allowedOrigins, origin);
  }

  async accept(req: IntakeRequest): Promise<IntakeAnswer> {
    const { limits } = this.deps;
    let publicKey = keyFromRequest(req.query, req.headers);
    // A key given outside the body is checked before the body costs anything.
    let key = publicKey ? await this.authenticate(publicKey, req) : null;

    let body: Buffer;
    try {
      const encoding = req.headers['content-encoding'];
      body = await decodeBody(req.body, Array.isArray(encoding) ? encoding[0] : encoding, limits.maxEnvelopeBytes);
    } catch (err) {
      if (err instanceof InflateLimitError) throw new IntakeError(413, `${err.message} (envelopes are limited to ${limits.maxEnvelopeBytes} bytes)`, {}, 'dropped_too_large');
      if (err instanceof DecodeError) throw new IntakeError(400, err.message, {}, 'dropped_invalid');
      throw err;
    }
    if (body.length > limits.maxEnvelopeBytes) throw new IntakeError(413, `envelopes are limited to ${limits.maxEnvelopeBytes} bytes`, {}, 'dropped_too_large');

    let envelope: Envelope;
    try {
      envelope = req.endpoint === 'store' ? storeEnvelope(body) : parseEnvelope(body);
    } catch (err) {
      if (err instanceof EnvelopeError) throw this.refuse(key, new IntakeError(400, `malformed envelope: ${err.message}`, {}, 'dropped_invalid'));
      throw err;
    }
    if (!key) {
      publicKey = keyFromDsn(envelope.header.dsn);
      if (!publicKey) throw new IntakeError(401, 'missing client key: send sentry_key, X-Sentry-Auth or a dsn in the envelope header');
      key = await this.authenticate(publicKey, req);
    }
    return this.take(key, envelope, req);
  }

  private async authenticate(publicKey: string, req: IntakeRequest) {
    const key = await this.deps.keys.resolve(publicKey);
    if (!key) throw new IntakeError(401, 'unknown client key');
    if (key.revoked) throw new IntakeError(403, 'this client key has been revoked');
    if (key.projectRef !== req.projectRef) throw new IntakeError(403, `this client key belongs to another project (not ${req.projectRef})`);
    if (req.origin && !originAllowed(key.allowedOrigins ?? null, req.origin)) throw new IntakeError(403, `origin ${req.origin} is not allowed for this project`);
    return key;
  }

  private refuse(key: ResolvedClientKey | null, err: IntakeError): IntakeError {
    if (key && err.counter) this.deps.counters.add(key.serviceId, err.counter);
    return err;
  }

  private async take(key: ResolvedClientKey, envelope: Envelope, req: IntakeRequest): Promise<IntakeAnswer> {
    const { limits, counters } = this.deps;
    const json: JsonItem[] = [];
    const attachments: EnvelopeItem[] = [];
    const counted: Partial<Record<IntakeCounter, number>> = {};
    const count = (c: IntakeCounter) => (counted[c] = (counted[c] ?? 0) + 1);
    for (const [i, item] of envelope.items.entries()) {
      const type = item.header.type;
      // Span v2 containers are framed and limited like events; older standalone `span` items (a
      // single span, no content type) have no store here and are counted with the other items.
      if (type === 'event' || type === 'transaction' || (type === 'span' && item.header.content_type === SPAN_V2_CONTENT_TYPE)) {
        if (item.payload.length > limits.maxEventBytes) throw this.refuse(key, new IntakeError(413, `item ${i + 1} (${type}) is ${item.payload.length} bytes; the limit is ${limits.maxEventBytes}`, {}, 'dropped_too_large'));
        const text = item.payload.toString('utf8');
        let payload: unknown;
        try {
          payload = JSON.parse(text);
        } catch {
          throw this.refuse(key, new IntakeError(400, `item ${i + 1} (${type}) is not valid JSON`, {}, 'dropped_invalid'));
        }
        if (!payload || typeof payload !== 'object' || Array.isArray(payload)) throw this.refuse(key, new IntakeError(400, `item ${i + 1} (${type}) must be a JSON object`, {}, 'dropped_invalid'));
        if (type === 'span' && !Array.isArray((payload as { items?: unknown }).items)) throw this.refuse(key, new IntakeError(400, `item ${i + 1} (span) must be a span container: {"items": [...]}`, {}, 'dropped_invalid'));
        json.push({ kind: type, text, payload: payload as Record<string, unknown> });
      } else if (type === 'attachment') attachments.push(item);
      else if (type === 'session' || type === 'sessions') count('sessions');
      else if (type === 'client_report') count('client_reports');
      else count('other_items');
    }

    const limited = json.length;
    if (limited) {
      const lag = await this.lagSeconds();
      if (lag > limits.maxLagSeconds) {
        const retry = Math.min(60, Math.max(5, Math.ceil(lag - limits.maxLagSeconds)));
        counters.add(key.serviceId, 'dropped_backlog', limited);
        throw new IntakeError(429, `processing is ${Math.round(lag)} s behind; retry later`, { 'Retry-After': String(retry), 'X-Sentry-Rate-Limits': sentryRateLimitHeader(retry, 'organization', 'backlog') });
      }
      const verdict = await this.deps.rateLimiter.take(key.keyId, key.orgId, limited);
      if (verdict) {
        counters.add(key.serviceId, 'dropped_rate_limited', limited);
        throw new IntakeError(429, `over the ${verdict.scope === 'key' ? 'client key' : 'organisation'} rate limit`, {
          'Retry-After': String(verdict.retryAfterSeconds),
          'X-Sentry-Rate-Limits': sentryRateLimitHeader(verdict.retryAfterSeconds, verdict.scope, verdict.scope === 'key' ? 'key_quota' : 'org_quota'),
        });
      }
    }

    const receivedAt = new Date().toISOString();
    const rows: NewQueueRow[] = [];
    let answerId: string | null = null;
    let firstEventId: string | null = null;
    for (const item of json) {
      if (item.kind === 'span') {
        // A container has no event id of its own; the queue row gets one, which makes its redelivery idempotent.
        counted.spans = (counted.spans ?? 0) + (item.payload.items as unknown[]).length;
        if (!this.deps.keepSpans) continue;
        rows.push({ kind: 'span', service_id: key.serviceId, org_id: key.orgId, project_id: key.projectId, key_id: key.keyId, event_id: eventIdOf(null), received_at: receivedAt, client_ip: req.clientIp, payload: item.text, parsed: item.payload, attachments: null });
        continue;
      }
      const eventId = eventIdOf(item.payload.event_id, envelope.header.event_id);
      answerId ??= eventId;
      if (item.kind === 'event') {
        firstEventId ??= eventId;
        count('events');
      } else {
        count('transactions');
        if (!this.deps.keepTransactions) continue;
      }
      rows.push({ kind: item.kind, service_id: key.serviceId, org_id: key.orgId, project_id: key.projectId, key_id: key.keyId, event_id: eventId, received_at: receivedAt, client_ip: req.clientIp, payload: item.text, parsed: item.payload, attachments: null });
    }

    // Attachments go with the envelope's event; without one there is nothing to show them on.
    if (attachments.length) {
      const owner = rows.find((r) => r.kind === 'event');
      const stored: StoredAttachment[] = [];
      for (const a of attachments) {
        if (!owner || a.payload.length > limits.maxAttachmentBytes) {
          counters.add(key.serviceId, owner ? 'dropped_too_large' : 'other_items');
          continue;
        }
        const filename = (typeof a.header.filename === 'string' && a.header.filename.slice(0, 255)) || 'attachment';
        const contentType = typeof a.header.content_type === 'string' ? a.header.content_type.slice(0, 255) : null;
        const attachmentType = typeof a.header.attachment_type === 'string' ? a.header.attachment_type.slice(0, 64) : null;
        const storageKey = await this.deps.repo.insertAttachment({ service_id: key.serviceId, event_id: owner.event_id, filename, content_type: contentType, attachment_type: attachmentType, size: a.payload.length, data: a.payload });
        stored.push({ filename, contentType, attachmentType, size: a.payload.length, storageKey });
        count('attachments');
      }
      if (owner && stored.length) owner.attachments = stored;
    }

    await this.deps.writer.append(rows);
    for (const [c, n] of Object.entries(counted)) counters.add(key.serviceId, c as IntakeCounter, n);
    return { status: 200, body: answerId ? { id: firstEventId ?? answerId } : {} };
  }

  /** Seconds the oldest unprocessed item has waited (looked up at most once a second). */
  private async lagSeconds(): Promise<number> {
    const now = Date.now();
    if (now - this.lag.at > 1_000) {
      const oldest = await this.deps.repo.oldestPending();
      this.lag = { at: now, seconds: oldest ? Math.max(0, (now - oldest.getTime()) / 1000) : 0 };
    }
    return this.lag.seconds;
  }
}

export function originAllowed(allowed: string[] | null, origin: string): boolean {
  if (!allowed) return true;
  const o = origin.toLowerCase();
  return allowed.includes('*') || allowed.includes(o);
}

/** A `/store/` body (one event's JSON) as a one-item envelope. */
function storeEnvelope(payload: Buffer): Envelope {
  const firstByte = payload.find((b) => b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09);
  if (firstByte !== undefined && firstByte !== 0x7b) {
    throw new EnvelopeError('the /store/ body must be an event JSON object (base64-encoded bodies are not supported)');
  }
  if (!payload.length) throw new EnvelopeError('empty body');
  return { header: {}, items: [{ header: { type: 'event' }, payload }] };
}
