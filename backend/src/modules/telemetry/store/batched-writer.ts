import type { ClickHouse } from '../../../db/clickhouse/index.js';
import type { Logger } from '../../../logger.js';
import { insertRows, serializeRows } from './raw-insert.js';
import { TELEMETRY_TABLES, type TelemetryTable, type TelemetryTables } from './otel-rows.js';
import { StoreBusyError, type TableCounts, type TelemetryWriter, type WriteOptions, type WriterStats } from './telemetry-writer.js';

export interface BatchedWriterOptions {
  /** An insert is sent once this many rows of a table are queued… */
  maxBatchRows: number;
  /** …or this long after the first of them was queued. */
  maxDelayMs: number;
  /** Serialized rows held at most (all tables); writes past it are refused with 429. */
  maxQueuedBytes: number;
  /**
   * INSERTs of one table running at once (2 without it). Each insert parses on one thread (see
   * raw-insert.ts), so two let the engine use both of a small machine's cores while the intake
   * decodes the next requests. A second one starts only for a due batch (see `due`), never for
   * the few rows that came in meanwhile, so concurrency does not make many tiny parts.
   */
  maxConcurrentInserts?: number;
}

/**
 * 16k rows a batch: exporters wait for their acknowledgement, so only the rows of the requests in
 * flight can gather (32 exporters × 1,000 records in the bench). At 20k only one batch could fill
 * while another was being inserted, the second slot started on the 250 ms timer with the rest, and
 * the ingest process used ~1.7 of 2 cores; at 16k two batches fill side by side (~1.85).
 */
export const DEFAULT_WRITER_OPTIONS: BatchedWriterOptions = { maxBatchRows: 16_000, maxDelayMs: 250, maxQueuedBytes: 64 * 1024 * 1024, maxConcurrentInserts: 2 };

interface Chunk {
  body: string;
  columns: readonly string[];
  /** Only chunks naming the same columns share an INSERT. */
  columnsKey: string;
  rows: number;
  token: string | undefined;
  /** Written at once (WriteOptions.now), not after maxDelayMs. */
  now: boolean;
  resolve(): void;
  reject(err: unknown): void;
}

interface TableQueue {
  chunks: Chunk[];
  rows: number;
  timer: NodeJS.Timeout | null;
  inFlight: Set<Promise<void>>;
}

/** Above this share of `maxQueuedBytes` the writer reports it is lagging (before it has to refuse). */
const HIGH_WATER = 0.5;

export class BatchedTelemetryWriter implements TelemetryWriter {
  private readonly queues = new Map<TelemetryTable, TableQueue>();
  private readonly counts = Object.fromEntries(TELEMETRY_TABLES.map((t) => [t, { written: 0, rejected: 0, dropped: 0 }])) as Record<TelemetryTable, TableCounts>;
  private queuedBytes = 0;
  private queuedRows = 0;
  private consecutiveFailures = 0;
  private lastFailureAt = 0;
  private lastError: string | null = null;
  private closed = false;

  constructor(
    private readonly ch: ClickHouse,
    private readonly logger: Logger,
    private readonly options: BatchedWriterOptions = DEFAULT_WRITER_OPTIONS,
  ) {}

  write<T extends TelemetryTable>(table: T, rows: readonly TelemetryTables[T][], opts: WriteOptions = {}): Promise<void> {
    if (rows.length === 0) return Promise.resolve();
    if (this.closed) return Promise.reject(new StoreBusyError('The telemetry store is shutting down', 503, 5));
    const { body, columns, columnsKey } = serializeRows(rows);
    const refusal = this.refusal(body.length);
    if (refusal) {
      this.counts[table].rejected += rows.length;
      this.logger.warn({ table, rows: rows.length, queued_bytes: this.queuedBytes, status: refusal.status }, 'telemetry write refused: store busy');
      return Promise.reject(refusal);
    }
    return new Promise<void>((resolve, reject) => {
      const queue = this.queue(table);
      queue.chunks.push({ body, columns, columnsKey, rows: rows.length, token: opts.dedupToken, now: opts.now === true, resolve, reject });
      queue.rows += rows.length;
      this.queuedBytes += body.length;
      this.queuedRows += rows.length;
      if (this.due(queue)) this.kick(table, false);
      else queue.timer ??= setTimeout(() => this.kick(table), this.options.maxDelayMs);
    });
  }

  admit(): void {
    const refusal = this.refusal(0);
    if (refusal) throw refusal;
  }

  stats(): WriterStats {
    return {
      queuedRows: this.queuedRows,
      queuedBytes: this.queuedBytes,
      maxQueuedBytes: this.options.maxQueuedBytes,
      lagging: this.consecutiveFailures > 0 || this.queuedBytes > this.options.maxQueuedBytes * HIGH_WATER,
      retryAfterSeconds: this.retryAfter(),
      lastError: this.lastError,
      tables: structuredClone(this.counts),
    };
  }

  async flush(): Promise<void> {
    for (;;) {
      const busy = [...this.queues].filter(([, q]) => q.chunks.length || q.inFlight.size);
      if (!busy.length) return;
      for (const [table] of busy) this.kick(table, true);
      await Promise.all(busy.flatMap(([, q]) => [...q.inFlight].map((p) => p.catch(() => undefined))));
    }
  }

  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
  }

  private refusal(bytes: number): StoreBusyError | null {
    // Just after an insert failed, queueing more only grows memory: refuse for the back-off, then
    // let writes through again (the next insert is the probe; another failure doubles the wait).
    if (this.consecutiveFailures > 0 && Date.now() < this.lastFailureAt + this.retryAfter() * 1000) return new StoreBusyError(`The telemetry store is unavailable: ${this.lastError ?? 'inserts failing'}`, 503, this.retryAfter());
    if (this.queuedBytes + bytes > this.options.maxQueuedBytes) return new StoreBusyError('The telemetry store is behind; retry later', 429, this.retryAfter());
    return null;
  }

  private retryAfter(): number {
    if (this.consecutiveFailures > 0) return Math.min(30, 2 ** Math.min(this.consecutiveFailures, 5));
    return this.queuedBytes > this.options.maxQueuedBytes * HIGH_WATER ? 2 : 1;
  }

  private queue(table: TelemetryTable): TableQueue {
    let q = this.queues.get(table);
    if (!q) this.queues.set(table, (q = { chunks: [], rows: 0, timer: null, inFlight: new Set() }));
    return q;
  }

  /**
   * A batch is due: a full one is queued, a chunk asked to go now, or the writer is closing.
   * (Starting at half a batch kept both insert slots busier but made smaller parts, and their
   * merges cost more than the second slot won: ~15% more CPU per row, slower in the bench.)
   */
  private due(q: TableQueue): boolean {
    return q.rows >= this.options.maxBatchRows || this.closed || q.chunks.some((c) => c.now);
  }

  /**
   * Starts the table's next inserts while slots are free: the first one whatever its size when
   * `force` (its delay is up, or a flush), others only while a batch is due.
   */
  private kick(table: TelemetryTable, force = true) {
    const q = this.queue(table);
    if (q.timer) clearTimeout(q.timer);
    q.timer = null;
    const slots = this.options.maxConcurrentInserts ?? 2;
    while (q.chunks.length && q.inFlight.size < slots && (force || this.due(q))) {
      force = false;
      const insert: Promise<void> = this.insert(table, this.take(q)).finally(() => {
        q.inFlight.delete(insert);
        if (q.chunks.length) {
          if (this.due(q)) this.kick(table, false);
          else q.timer ??= setTimeout(() => this.kick(table), this.options.maxDelayMs);
        }
      });
      q.inFlight.add(insert);
    }
    // Rows left behind (all slots busy) go when an insert ends; a partial batch waits its delay.
    if (q.chunks.length && !q.timer && q.inFlight.size < slots) q.timer = setTimeout(() => this.kick(table), this.options.maxDelayMs);
  }

  /**
   * The next insert: one chunk with a dedup token alone (the token names exactly its rows), or the
   * untokened chunks that follow it with the same columns, up to the batch size.
   */
  private take(q: TableQueue): Chunk[] {
    const first = q.chunks[0]!;
    let n = 1;
    if (first.token === undefined) {
      let rows = first.rows;
      for (let next = q.chunks[n]; next && next.token === undefined && next.columnsKey === first.columnsKey && rows + next.rows <= this.options.maxBatchRows; next = q.chunks[++n]) rows += next.rows;
    }
    const batch = q.chunks.splice(0, n);
    for (const c of batch) q.rows -= c.rows;
    return batch;
  }

  private async insert(table: TelemetryTable, batch: Chunk[]) {
    const rows = batch.reduce((n, c) => n + c.rows, 0);
    const bytes = batch.reduce((n, c) => n + c.body.length, 0);
    try {
      await insertRows(this.ch, table, batch[0]!.columns, batch.map((c) => c.body).join('\n'), batch[0]!.token);
      this.counts[table].written += rows;
      this.consecutiveFailures = 0;
      this.lastError = null;
      for (const c of batch) c.resolve();
    } catch (err) {
      this.counts[table].dropped += rows;
      this.consecutiveFailures += 1;
      this.lastFailureAt = Date.now();
      this.lastError = err instanceof Error ? err.message.slice(0, 500) : String(err);
      this.logger.error({ err, table, rows }, 'telemetry insert failed; its writers were told');
      for (const c of batch) c.reject(err);
    } finally {
      this.queuedBytes -= bytes;
      this.queuedRows -= rows;
    }
  }
}
