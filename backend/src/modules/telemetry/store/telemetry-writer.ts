import type { TelemetryTable, TelemetryTables } from './otel-rows.js';

export interface WriteOptions {
  /**
   * Idempotency key of this write (an agent's batch id, an OTLP request's hash): ClickHouse stores
   * the same key's rows once, however often they are resent. Rows with a key are inserted on their own.
   */
  dedupToken?: string;
  /**
   * Insert as soon as no insert of the table is running, not after the batching delay: for callers
   * that hand over batches already (the error module's events, batched by the intake's queue).
   */
  now?: boolean;
}

export interface TableCounts {
  /** Rows stored. */
  written: number;
  /** Rows refused before queueing (the queue was full, or ClickHouse failing): the sender was told to retry. */
  rejected: number;
  /** Rows whose insert failed after they were queued: their writers got the error (nothing is dropped unseen). */
  dropped: number;
}

export interface WriterStats {
  queuedRows: number;
  queuedBytes: number;
  maxQueuedBytes: number;
  /** ClickHouse is not keeping up (queue past its high-water mark) or failing: intakes shed load. */
  lagging: boolean;
  /** What to put in `Retry-After` while lagging. */
  retryAfterSeconds: number;
  /** The last insert error, while inserts are failing. */
  lastError: string | null;
  tables: Record<TelemetryTable, TableCounts>;
}

/**
 * Why a write was refused: intakes answer `status` (429 when the queue is full, 503 while ClickHouse
 * fails) with `Retry-After: retryAfterSeconds`.
 */
export class StoreBusyError extends Error {
  constructor(
    message: string,
    readonly status: 429 | 503,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
    this.name = 'StoreBusyError';
  }
}

/**
 * The one way telemetry rows reach ClickHouse: batched (size and time bound), acknowledged after the
 * write, with bounded memory.
 */
export interface TelemetryWriter {
  /**
   * Queues rows and resolves once they are stored in ClickHouse. Throws `StoreBusyError` at once
   * when it cannot take them (nothing of them is stored); rejects with the insert's error if it fails.
   */
  write<T extends TelemetryTable>(table: T, rows: readonly TelemetryTables[T][], opts?: WriteOptions): Promise<void>;
  /** Throws `StoreBusyError` when a write now would be refused (check before decoding a large request). */
  admit(): void;
  stats(): WriterStats;
  /** Writes everything queued now. */
  flush(): Promise<void>;
  /** Flushes, then refuses further writes. */
  close(): Promise<void>;
}
