import fs from 'node:fs';
import path from 'node:path';
import { type TelemetryItem, TelemetryBatchSchema } from '@syntra/shared';
import type { AgentLogger } from '../log.js';

/** A batch's JSON stays well below the 4 MiB frame limit (a 64 KiB line is one item). */
const BATCH_BYTES = 1024 * 1024;
const BATCH_ITEMS = 10_000;

/**
 * Telemetry batches on disk until the control plane acknowledges them (`telemetry_ack`), so
 * nothing is lost across disconnects or agent restarts. Bounded by `maxBytes`: when full, the
 * oldest batches are dropped first and counted.
 */
export class TelemetryBuffer {
  private nextSeq: number;
  droppedBatches = 0;

  constructor(
    private readonly dir: string,
    private maxBytes: number,
    private readonly log: AgentLogger,
  ) {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const seqs = this.seqs();
    const stored = Number(this.readState() ?? 0);
    this.nextSeq = Math.max(stored, seqs.at(-1) ?? 0) + 1;
  }

  setMaxMb(mb: number) {
    this.maxBytes = mb * 1024 * 1024;
  }

  private file(seq: number) {
    return path.join(this.dir, `${String(seq).padStart(12, '0')}.json`);
  }

  private readState(): string | null {
    try {
      return fs.readFileSync(path.join(this.dir, 'last-seq'), 'utf8').trim();
    } catch {
      return null;
    }
  }

  /** Stored batch sequence numbers, oldest first. */
  seqs(): number[] {
    return fs
      .readdirSync(this.dir)
      .filter((f) => /^\d{12}\.json$/.test(f))
      .map((f) => Number(f.slice(0, 12)))
      .sort((a, b) => a - b);
  }

  /**
   * Stores items as one or more batches, each small enough for one frame (≤ BATCH_BYTES of JSON,
   * ≤ BATCH_ITEMS items; a chatty service's output between two flushes can be far more). Returns
   * the last batch's seq.
   */
  append(items: TelemetryItem[]): number | null {
    let last: number | null = null;
    let start = 0;
    let bytes = 0;
    for (let i = 0; i < items.length; i += 1) {
      const size = JSON.stringify(items[i]).length + 1;
      if (i > start && (bytes + size > BATCH_BYTES || i - start >= BATCH_ITEMS)) {
        last = this.appendBatch(items.slice(start, i));
        start = i;
        bytes = 0;
      }
      bytes += size;
    }
    if (start < items.length) last = this.appendBatch(items.slice(start));
    return last;
  }

  private appendBatch(items: TelemetryItem[]): number | null {
    if (items.length === 0) return null;
    const seq = this.nextSeq;
    this.nextSeq += 1;
    const tmp = `${this.file(seq)}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify({ seq, items }), { mode: 0o600 });
    fs.renameSync(tmp, this.file(seq));
    fs.writeFileSync(path.join(this.dir, 'last-seq'), String(seq));
    this.enforceBound();
    return seq;
  }

  /** A stored batch; a damaged one (torn write, disk error) is dropped rather than retried forever. */
  read(seq: number): { seq: number; items: TelemetryItem[] } | null {
    let text: string;
    try {
      text = fs.readFileSync(this.file(seq), 'utf8');
    } catch {
      return null;
    }
    const batch = TelemetryBatchSchema.safeParse(parseJson(text));
    if (batch.success && batch.data.seq === seq) return batch.data;
    fs.rmSync(this.file(seq), { force: true });
    return null;
  }

  /** Everything up to `seq` is stored durably on the other side. */
  ack(seq: number) {
    for (const s of this.seqs()) if (s <= seq) fs.rmSync(this.file(s), { force: true });
  }

  /**
   * The control plane has acknowledged up to `acked`. Normally that is at or below what this buffer
   * numbered; if it is above (a reinstalled agent, a wiped data dir), the pending batches are
   * renumbered after it so they are not mistaken for ones already stored.
   */
  sync(acked: number) {
    if (acked < this.nextSeq - 1) return this.ack(acked);
    const pending = this.seqs();
    this.nextSeq = acked + 1;
    for (const old of pending) {
      const batch = this.read(old);
      fs.rmSync(this.file(old), { force: true });
      if (batch) this.append(batch.items);
    }
    fs.writeFileSync(path.join(this.dir, 'last-seq'), String(this.nextSeq - 1));
  }

  bytes(): number {
    return this.seqs().reduce((sum, s) => sum + (fs.statSync(this.file(s), { throwIfNoEntry: false })?.size ?? 0), 0);
  }

  private enforceBound() {
    const seqs = this.seqs();
    let total = this.bytes();
    while (total > this.maxBytes && seqs.length > 1) {
      const oldest = seqs.shift()!;
      total -= fs.statSync(this.file(oldest)).size;
      fs.rmSync(this.file(oldest), { force: true });
      this.droppedBatches += 1;
      this.log.warn('telemetry buffer full: dropped the oldest batch', { seq: oldest, dropped_total: this.droppedBatches });
    }
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
