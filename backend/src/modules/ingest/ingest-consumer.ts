import type { Knex } from 'knex';
import type { Logger } from '../../logger.js';
import { type ClaimedQueueRow, IngestRepo } from './ingest.repo.js';
import type { ParsedHandoff } from './parsed-handoff.js';
import type { ErrorEventProcessor, ReceivedEvent, ReceivedSpans, ReceivedTransaction, SpanProcessor, TransactionProcessor } from './ports.js';

export interface ConsumerOptions {
  batchSize: number;
  /** Idle poll interval when no local commit wakes the consumer. */
  pollMs: number;
  /** A row failing this often on its own is set aside (dead_at) and logged. */
  maxAttempts: number;
}

const DEFAULTS: ConsumerOptions = { batchSize: 500, pollMs: 250, maxAttempts: 10 };

function source(r: ClaimedQueueRow) {
  return { orgId: r.org_id, projectId: r.project_id, serviceId: r.service_id, keyId: r.key_id, eventId: r.event_id, receivedAt: new Date(r.received_at).toISOString() };
}

function toEvent(r: ClaimedQueueRow, payload: Record<string, unknown>): ReceivedEvent {
  return { ...source(r), payload, clientIp: r.client_ip, attachments: r.attachments ?? [] };
}

function toTransaction(r: ClaimedQueueRow, payload: Record<string, unknown>): ReceivedTransaction & ReceivedSpans {
  return { ...source(r), payload };
}

/**
 * Hands queued items to the processors in batches, in arrival order. A batch is claimed with row
 * locks inside a transaction and deleted in the same transaction once the processors returned: a
 * consumer that crashes mid-batch loses its locks with its connection and the batch is delivered
 * again (the processors are idempotent per event). A batch that fails is retried item by item, so
 * one bad event does not hold back the others; when every item fails alike (the store is down),
 * nothing is marked and the consumer backs off.
 */
export class IngestConsumer {
  private readonly repo: IngestRepo;
  private readonly opts: ConsumerOptions;
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private processed = 0;

  constructor(
    private readonly db: Knex,
    private readonly processors: { errors: ErrorEventProcessor; transactions?: TransactionProcessor | undefined; spans?: SpanProcessor | undefined },
    private readonly log: Logger,
    opts: Partial<ConsumerOptions> = {},
    /** Payloads this process's intake parsed already (parsed here from the queue's text otherwise). */
    private readonly parsed: ParsedHandoff | null = null,
  ) {
    this.repo = new IngestRepo(db);
    this.opts = { ...DEFAULTS, ...opts };
  }

  /** Items handed on by this consumer so far (the bench reads it). */
  get handedOn() {
    return this.processed;
  }

  start() {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** A commit in this process: look now rather than at the next poll. */
  nudge() {
    this.wake?.();
  }

  async stop() {
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  /** One batch: how many rows were claimed (0: the queue was empty). */
  async runOnce(): Promise<{ claimed: number; systemicFailure: boolean }> {
    return this.db.transaction(async (trx) => {
      // The payloads come with the claim unless this process's intake parsed (some of) them.
      const rows = await this.repo.claim(trx, this.opts.batchSize, !this.parsed?.size);
      if (!rows.length) return { claimed: 0, systemicFailure: false };
      try {
        await this.handOn(trx, rows);
        await this.repo.remove(trx, rows.map((r) => r.id));
        this.processed += rows.length;
        return { claimed: rows.length, systemicFailure: false };
      } catch (err) {
        this.log.warn({ err, batch: rows.length }, 'intake batch failed; retrying its items one by one');
      }
      const done: number[] = [];
      const failed: ClaimedQueueRow[] = [];
      for (const row of rows) {
        try {
          await this.handOn(trx, [row]);
          done.push(row.id);
        } catch (err) {
          failed.push(row);
          this.log.warn({ err, event_id: row.event_id, service_id: row.service_id }, 'intake item failed');
        }
      }
      const systemic = done.length === 0 && rows.length > 1;
      if (!systemic) {
        for (const row of failed) {
          if (await this.repo.failed(trx, row.id, this.opts.maxAttempts)) this.log.error({ event_id: row.event_id, service_id: row.service_id, attempts: row.attempts + 1 }, 'intake item set aside after repeated failures');
        }
      }
      await this.repo.remove(trx, done);
      this.processed += done.length;
      return { claimed: rows.length, systemicFailure: systemic || failed.length > 0 };
    });
  }

  private async handOn(trx: Knex.Transaction, rows: ClaimedQueueRow[]) {
    const events: ReceivedEvent[] = [];
    const transactions: ReceivedTransaction[] = [];
    const spans: ReceivedSpans[] = [];
    const parsedHere = new Map<number, Record<string, unknown>>();
    for (const r of rows) {
      const payload = this.parsed?.take(r.id);
      if (payload) parsedHere.set(r.id, payload);
    }
    // Only what another process accepted (or a retry, or a restart) is read back and parsed.
    const missing = rows.filter((r) => !parsedHere.has(r.id) && r.payload === undefined).map((r) => r.id);
    const texts = await this.repo.payloads(trx, missing);
    const payloadOf = (r: ClaimedQueueRow): Record<string, unknown> => {
      const parsed = parsedHere.get(r.id);
      if (parsed) return parsed;
      const text = r.payload ?? texts.get(r.id);
      if (text === undefined) throw new Error(`intake row ${r.id} has no payload`); // locked by this claim: cannot happen
      return JSON.parse(text) as Record<string, unknown>;
    };
    for (const r of rows) {
      if (r.kind === 'event') events.push(toEvent(r, payloadOf(r)));
      else if (r.kind === 'span') {
        if (this.processors.spans) spans.push(toTransaction(r, payloadOf(r)));
      } else if (this.processors.transactions) transactions.push(toTransaction(r, payloadOf(r)));
    }
    if (events.length) await this.processors.errors.process(events);
    if (transactions.length) await this.processors.transactions!.process(transactions);
    if (spans.length) await this.processors.spans!.process(spans);
  }

  private async run() {
    let backoff = 0;
    while (this.running) {
      let claimed = 0;
      try {
        const r = await this.runOnce();
        claimed = r.claimed;
        backoff = r.systemicFailure ? Math.min(60_000, Math.max(500, backoff * 2)) : 0;
      } catch (err) {
        backoff = Math.min(60_000, Math.max(500, backoff * 2));
        this.log.warn({ err }, 'intake consumer could not claim a batch');
      }
      // A full batch: more is waiting, go on at once.
      if (this.running && (backoff || claimed < this.opts.batchSize)) await this.sleep(backoff || this.opts.pollMs, !backoff);
    }
  }

  private sleep(ms: number, wakeable: boolean) {
    return new Promise<void>((resolve) => {
      const t = setTimeout(done, ms);
      function done() {
        clearTimeout(t);
        resolve();
      }
      this.wake = () => {
        this.wake = null;
        if (wakeable || !this.running) done();
      };
    });
  }
}
