import type { IngestRepo, NewQueueRow } from './ingest.repo.js';

interface Waiting {
  row: NewQueueRow;
  done: (err?: unknown) => void;
}

/**
 * Group commit for the intake queue: rows appended while a write is under way go together in the
 * next multi-row INSERT, so each acknowledgement waits for one commit (PostgreSQL fsyncs it) while
 * thousands of requests a second share a few. `append` resolves when its rows are committed.
 */
export class QueueWriter {
  private waiting: Waiting[] = [];
  private inFlight = 0;
  private scheduled = false;

  constructor(
    private readonly repo: IngestRepo,
    private readonly opts: { maxRows: number; maxBytes: number; maxInFlight: number } = { maxRows: 500, maxBytes: 8 << 20, maxInFlight: 2 },
    /** Called after each commit with the rows and their ids (a consumer in this process can start at once instead of polling). */
    private readonly onCommit: (committed: ReadonlyArray<{ row: NewQueueRow; id: number | undefined }>) => void = () => undefined,
  ) {}

  append(rows: readonly NewQueueRow[]): Promise<void> {
    if (!rows.length) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      let left = rows.length;
      let failed = false;
      const done = (err?: unknown) => {
        if (failed) return;
        if (err) {
          failed = true;
          reject(err instanceof Error ? err : new Error(String(err)));
          return;
        }
        if ((left -= 1) === 0) resolve();
      };
      for (const row of rows) this.waiting.push({ row, done });
      // Let requests of the same tick join the batch.
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          this.pump();
        });
      }
    });
  }

  private pump() {
    while (this.inFlight < this.opts.maxInFlight && this.waiting.length) {
      let bytes = 0;
      let n = 0;
      while (n < this.waiting.length && n < this.opts.maxRows && (n === 0 || bytes + this.waiting[n]!.row.payload.length <= this.opts.maxBytes)) {
        bytes += this.waiting[n]!.row.payload.length;
        n += 1;
      }
      const batch = this.waiting.splice(0, n);
      this.inFlight += 1;
      this.repo
        .append(batch.map((w) => w.row))
        .then(
          (ids) => {
            for (const w of batch) w.done();
            this.onCommit(batch.map((w, i) => ({ row: w.row, id: ids[i] })));
          },
          (err: unknown) => {
            for (const w of batch) w.done(err);
          },
        )
        .finally(() => {
          this.inFlight -= 1;
          this.pump();
        });
    }
  }
}
