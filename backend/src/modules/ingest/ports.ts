/**
 * What the intake hands on, and what it asks of the rest. The intake (this module) authenticates,
 * frames and makes durable; the error module groups and stores; the telemetry module stores spans.
 * These types are the seams between them, fixed first so the three can be built side by side.
 */

/** A client key, resolved from its public part (the DSN's user, or `Authorization: Bearer`). */
export interface ResolvedClientKey {
  keyId: string;
  publicKey: string;
  orgId: string;
  projectId: string;
  serviceId: string;
  /** The service's numeric id in DSNs and intake paths (`/api/<projectRef>/envelope/`). */
  projectRef: number;
  revoked: boolean;
}

export interface ClientKeyResolver {
  /** The key with this public part, revoked or not (the caller answers 401 for unknown, 403 for revoked); null if none. */
  resolve(publicKey: string): Promise<ResolvedClientKey | null>;
}

/** Who sent an item: decided by the key, whatever the payload claims. */
export interface IntakeSource {
  orgId: string;
  projectId: string;
  serviceId: string;
  keyId: string;
}

/** An attachment item, stored by the intake (size-limited) before the event is acknowledged. */
export interface StoredAttachment {
  filename: string;
  contentType: string | null;
  attachmentType: string | null;
  size: number;
  /** Where the intake put the bytes (opaque to the error module; the intake serves them back). */
  storageKey: string;
}

/** One `event` item (or a `/store/` body), as durable as the acknowledgement said. */
export interface ReceivedEvent extends IntakeSource {
  /** 32 lower-case hex: the item's or envelope header's `event_id`, else one the intake generated. */
  eventId: string;
  /** When the intake accepted it (ISO 8601). */
  receivedAt: string;
  /** The event JSON as the SDK sent it (after decompression and JSON parsing; not yet normalised). */
  payload: Record<string, unknown>;
  /** The sender's address as the intake saw it (for `{{auto}}` user ip and user counts). */
  clientIp: string | null;
  attachments: StoredAttachment[];
}

/** Implemented by the error module; called by the intake's workers in batches, in arrival order. */
export interface ErrorEventProcessor {
  /** Normalises, groups and stores. Must be idempotent per (serviceId, eventId): batches may be redelivered. */
  process(events: ReceivedEvent[]): Promise<void>;
}

/** One `transaction` item, handed to the tracing store (the telemetry module) when it exists. */
export interface ReceivedTransaction extends IntakeSource {
  eventId: string;
  receivedAt: string;
  payload: Record<string, unknown>;
}

export interface TransactionProcessor {
  /** Stores the transaction's spans. Idempotent per (serviceId, eventId). */
  process(transactions: ReceivedTransaction[]): Promise<void>;
}

/**
 * One `span` item (span v2: content type `application/vnd.sentry.items.span.v2+json`), what
 * `@sentry/node` 11 sends by default (`traceLifecycle: 'stream'`): a container `{version: 2,
 * items: [span…]}` of finished spans, often without their segment (root), which may come later.
 */
export interface ReceivedSpans extends IntakeSource {
  /** The queue's id for this container (span items carry none; the intake generates one). */
  eventId: string;
  receivedAt: string;
  /** The container JSON as the SDK sent it. */
  payload: Record<string, unknown>;
}

export interface SpanProcessor {
  /** Stores the containers' spans. Idempotent per (serviceId, eventId): batches may be redelivered. */
  process(containers: ReceivedSpans[]): Promise<void>;
}
