import type { Redis } from 'ioredis';
import type { Knex } from 'knex';
import type { Logger } from '../../logger.js';
import { type ConsumerOptions, IngestConsumer } from './ingest-consumer.js';
import { IngestRepo } from './ingest.repo.js';
import type { IntakeCounters } from './intake-counters.js';
import { type IntakeKeyResolver, type IntakeLimits, IntakeService } from './intake.service.js';
import type { ErrorEventProcessor, SpanProcessor, TransactionProcessor } from './ports.js';
import { ParsedHandoff } from './parsed-handoff.js';
import { QueueWriter } from './queue-writer.js';
import { IntakeRateLimiter, type RateLimits } from './rate-limiter.js';

export interface IntakeOptions {
  db: Knex;
  redis: Redis;
  keys: IntakeKeyResolver;
  counters: IntakeCounters;
  logger: Logger;
  limits: IntakeLimits;
  rates: RateLimits;
  /** The error module's processor; without one, events wait in the queue (and the lag bound answers 429). */
  errors?: ErrorEventProcessor | undefined;
  /** The tracing store's; without one, transactions are counted and not kept. */
  transactions?: TransactionProcessor | undefined;
  /** The tracing store's for span v2 items; without one, they are counted and not kept. */
  spans?: SpanProcessor | undefined;
}

/**
 * The intake as the rest of the backend sees it: the HTTP side (`service`, served by `syntra
 * ingest` and `syntra start`) and the queue consumer the workers run.
 */
export class Intake {
  readonly service: IntakeService;
  private readonly repo: IngestRepo;
  private consumer: IngestConsumer | null = null;
  private readonly parsed = new ParsedHandoff();
  private readonly commitListeners: Array<() => void> = [];

  constructor(private readonly o: IntakeOptions) {
    this.repo = new IngestRepo(o.db);
    const writer = new QueueWriter(this.repo, undefined, (committed) => {
      for (const { row, id } of committed) if (id !== undefined && row.parsed) this.parsed.put(id, row.parsed);
      this.consumer?.nudge();
      for (const listener of this.commitListeners) listener();
    });
    this.service = new IntakeService({
      keys: o.keys,
      repo: this.repo,
      writer,
      counters: o.counters,
      rateLimiter: new IntakeRateLimiter(o.redis, o.rates),
      limits: o.limits,
      keepTransactions: Boolean(o.transactions),
      keepSpans: Boolean(o.spans),
    });
  }

  get limits() {
    return this.o.limits;
  }

  /** Whether a worker here would hand events on (an ErrorEventProcessor is wired). */
  get canProcess() {
    return Boolean(this.o.errors);
  }

  /** Called after each commit of acknowledged items: a consumer elsewhere (another thread) can start at once instead of at its next poll. */
  onCommit(listener: () => void) {
    this.commitListeners.push(listener);
  }

  /** A commit elsewhere (the intake of the main thread): this consumer looks now. */
  nudgeConsumer() {
    this.consumer?.nudge();
  }

  /** Starts this process's consumer (`syntra worker`, `syntra start`); null when no processor is wired. */
  startConsumer(opts: Partial<ConsumerOptions> = {}): IngestConsumer | null {
    if (!this.o.errors) return null;
    this.consumer ??= new IngestConsumer(this.o.db, { errors: this.o.errors, transactions: this.o.transactions, spans: this.o.spans }, this.o.logger.child({ module: 'ingest-consumer' }), opts, this.parsed);
    this.parsed.setEnabled(true);
    this.consumer.start();
    return this.consumer;
  }

  async stopConsumer() {
    await this.consumer?.stop();
    this.consumer = null;
    this.parsed.setEnabled(false);
    await this.o.counters.flush().catch(() => undefined);
  }

  /** Items acknowledged and not yet handed on. */
  pending() {
    return this.repo.pendingCount();
  }

  /** An attachment's bytes, for the error module's event view (null when gone or another service's). */
  async attachment(serviceId: string, storageKey: string) {
    if (!/^[0-9a-f-]{36}$/.test(storageKey)) return null;
    return (await this.repo.findAttachment(serviceId, storageKey)) ?? null;
  }

  /** Attachments, and items set aside as dead, older than the retention go (the worker's hourly pruning). */
  async prune(retentionDays = 30) {
    const before = new Date(Date.now() - retentionDays * 86_400_000);
    await this.repo.pruneAttachments(before);
    await this.repo.pruneDead(before);
  }
}
