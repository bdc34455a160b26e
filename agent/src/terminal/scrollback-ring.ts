/** One batch of pty output as it was numbered and sent: the whole binary frame, header included. */
export interface OutputChunk {
  seq: number;
  frame: Buffer;
}

/**
 * The output a session has produced recently, by sequence number. It keeps at least `capBytes`
 * of the newest output, and never drops a chunk the console has not acknowledged: together with
 * the flow-control window (≤ cap) that makes a resume replay exactly what was missed.
 */
export class ScrollbackRing {
  private chunks: OutputChunk[] = [];
  private head = 0;
  private bytes = 0;

  constructor(private readonly capBytes: number) {}

  get size() {
    return this.bytes;
  }

  push(chunk: OutputChunk, ackedSeq: number) {
    this.chunks.push(chunk);
    this.bytes += chunk.frame.byteLength;
    this.trim(ackedSeq);
  }

  trim(ackedSeq: number) {
    while (this.bytes > this.capBytes && this.head < this.chunks.length) {
      const oldest = this.chunks[this.head]!;
      if (oldest.seq > ackedSeq) break;
      this.bytes -= oldest.frame.byteLength;
      this.head += 1;
    }
    // Compact now and then so the array does not grow with every chunk ever seen.
    if (this.head > 1024 && this.head * 2 > this.chunks.length) {
      this.chunks = this.chunks.slice(this.head);
      this.head = 0;
    }
  }

  /** Chunks after `seq`, oldest first. */
  after(seq: number): OutputChunk[] {
    const out: OutputChunk[] = [];
    for (let i = this.head; i < this.chunks.length; i += 1) {
      const c = this.chunks[i]!;
      if (c.seq > seq) out.push(c);
    }
    return out;
  }

  /** Bytes held in frames after `seq` (output not yet acknowledged). */
  bytesAfter(seq: number): number {
    let total = 0;
    for (let i = this.chunks.length - 1; i >= this.head; i -= 1) {
      const c = this.chunks[i]!;
      if (c.seq <= seq) break;
      total += c.frame.byteLength;
    }
    return total;
  }

  /** The oldest sequence number still held, or null when empty. */
  get oldestSeq(): number | null {
    return this.head < this.chunks.length ? this.chunks[this.head]!.seq : null;
  }
}
