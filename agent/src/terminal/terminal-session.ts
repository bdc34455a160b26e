import { performance } from 'node:perf_hooks';
import type { IPty } from '@lydell/node-pty';
import { OutputFramer } from './output-framer.js';
import { ScrollbackRing } from './scrollback-ring.js';

export interface SessionLimits {
  /** Unacknowledged output above which the pty is paused. */
  windowBytes: number;
  /** Scrollback kept for a resume. At least the window, so a paused session loses nothing. */
  scrollbackBytes: number;
  /** Under a flood, output is gathered this long before it is sent (VS Code flushes every 5 ms). */
  batchMs: number;
  /** A batch this large is sent at once. */
  maxBatchBytes: number;
}

/**
 * The window is 1 MiB: on loopback the bench measured 24 MB/s at 256 KiB and 34 MB/s at 1 MiB (the
 * producer idles while acks travel console → backend → agent). The ring always holds the window.
 */
export const DEFAULT_LIMITS: SessionLimits = { windowBytes: 1024 * 1024, scrollbackBytes: 256 * 1024, batchMs: 5, maxBatchBytes: 64 * 1024 };

export interface SessionSink {
  /** `frame` is the encoded binary output frame (PROTOCOL.md), ready for the socket. */
  output(sessionId: string, frame: Buffer): void;
  exit(sessionId: string, exitCode: number | null, signal: string | null): void;
}

/**
 * Linux hands out at most about 4 KiB per pty read (the line discipline's buffer); a shorter read
 * means the program has stopped writing for now: an echo, a prompt, a screen redraw.
 */
const SHORT_READ_BYTES = 4000;
/** The most one pty read hands out on Linux (the line discipline's buffer). */
export const MAX_PTY_READ_BYTES = 4096;
/**
 * Output that arrives this long after the previous frame is interactive and goes at once. Within
 * it, reads are gathered, so a flood travels in few large frames (at most one early frame per ms).
 */
const INTERACTIVE_GAP_MS = 1;

const SIGNALS: Record<number, string> = { 1: 'SIGHUP', 2: 'SIGINT', 3: 'SIGQUIT', 6: 'SIGABRT', 9: 'SIGKILL', 13: 'SIGPIPE', 15: 'SIGTERM' };

/**
 * One pty and what the console needs from it: numbered output batches, a window of unacknowledged
 * bytes (the pty is paused above it, so a huge `cat` neither floods memory nor starves other
 * sessions), a scrollback ring for resume, and the exit status once the process ends.
 */
export class TerminalSession {
  private seq = 0;
  private ackedSeq = 0;
  private unacked: { seq: number; bytes: number }[] = [];
  private unackedBytes = 0;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private timer: NodeJS.Timeout | null = null;
  private lastFlushAt = 0;
  private paused = false;
  private readonly ring: ScrollbackRing;
  private readonly framer: OutputFramer;
  attached = true;
  /** Hung up by the console: its exit ends it for good, whatever happens to the socket meanwhile. */
  closing = false;
  exited: { exitCode: number | null; signal: string | null } | null = null;
  graceTimer: NodeJS.Timeout | null = null;
  readonly counters = { bytesIn: 0, bytesOut: 0, pauses: 0 };

  constructor(
    readonly id: string,
    private readonly pty: IPty,
    private readonly sink: SessionSink,
    private readonly limits: SessionLimits,
  ) {
    this.ring = new ScrollbackRing(Math.max(limits.scrollbackBytes, limits.windowBytes + limits.maxBatchBytes));
    this.framer = new OutputFramer(id);
    // With `encoding: null` node-pty hands out Buffers; its typings still say string.
    pty.onData((d) => this.onData(d as unknown as Buffer));
    pty.onExit(({ exitCode, signal }) => this.onExit(exitCode, signal ?? 0));
  }

  get pid() {
    return this.pty.pid;
  }

  get isPaused() {
    return this.paused;
  }

  /** Bytes held for this session: scrollback plus what is waiting for the next batch. */
  get heldBytes() {
    return this.ring.size + this.pendingBytes;
  }

  write(data: Uint8Array) {
    if (this.exited) return;
    this.counters.bytesIn += data.byteLength;
    // node-pty's socket accepts Buffers and queues what the kernel does not take yet, in order.
    const buf = Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    this.pty.write(buf as unknown as string);
  }

  resize(cols: number, rows: number) {
    if (!this.exited) this.pty.resize(cols, rows);
  }

  ack(seq: number) {
    if (seq <= this.ackedSeq) return;
    this.ackedSeq = Math.min(seq, this.seq);
    let drop = 0;
    while (drop < this.unacked.length && this.unacked[drop]!.seq <= this.ackedSeq) {
      this.unackedBytes -= this.unacked[drop]!.bytes;
      drop += 1;
    }
    if (drop) this.unacked.splice(0, drop);
    this.ring.trim(this.ackedSeq);
    // Resume below half the window, so a fast producer is not paused and resumed on every ack.
    if (this.paused && this.unackedBytes <= this.limits.windowBytes / 2) {
      this.paused = false;
      this.pty.resume();
      // What arrived after the pause waits in `pending` and goes with the next batch, in order (not
      // synchronously: attach() replays the ring right after this ack, and that must come first).
      if (this.pendingBytes) {
        this.timer ??= setTimeout(() => {
          this.timer = null;
          this.flush();
        }, 0);
      }
    }
  }

  /**
   * A console (re)attaches having seen everything up to `lastSeq`: that counts as acknowledged,
   * and the rest is sent again, in order. Returns false when part of what it missed is gone.
   */
  attach(lastSeq: number): boolean {
    this.attached = true;
    this.flush();
    const oldest = this.ring.oldestSeq;
    const complete = oldest === null ? lastSeq >= this.seq : oldest <= lastSeq + 1;
    this.ack(lastSeq);
    for (const chunk of this.ring.after(lastSeq)) this.sink.output(this.id, chunk.frame);
    if (this.exited) this.sink.exit(this.id, this.exited.exitCode, this.exited.signal);
    return complete;
  }

  detach() {
    this.attached = false;
  }

  kill() {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (!this.exited) {
      try {
        this.pty.kill('SIGHUP');
      } catch {
        /* already gone */
      }
    }
  }

  private onData(data: Buffer) {
    this.pending.push(data);
    this.pendingBytes += data.byteLength;
    // Pausing the pty does not recall reads already on their way: they wait here until the console
    // catches up, so nothing is sent past the window (whatever the timing) and nothing is lost.
    if (this.paused) return;
    if (this.pendingBytes >= this.limits.maxBatchBytes) return this.flush();
    // Interactive output (nothing sent for a moment, and nothing gathering or the pty drained) goes
    // without waiting; anything else is part of a flood and waits for the batch.
    const quiet = performance.now() - this.lastFlushAt >= INTERACTIVE_GAP_MS;
    if (quiet && (this.timer === null || data.byteLength < SHORT_READ_BYTES)) return this.flush();
    this.timer ??= setTimeout(() => {
      this.timer = null;
      this.flush();
    }, this.limits.batchMs);
  }

  /**
   * Sends what is gathered as one frame. Invariant: a frame is only sent while the unacknowledged
   * output is below the window, and a frame is at most `maxBatchBytes` plus one pty read — so a
   * console that stops acknowledging has at most window + maxBatchBytes + MAX_PTY_READ_BYTES unacked.
   */
  private flush() {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (!this.pendingBytes || (this.paused && !this.exited)) return;
    this.seq += 1;
    const seq = this.seq;
    const frame = this.framer.frame(seq, this.pending, this.pendingBytes);
    const bytes = this.pendingBytes;
    this.pending = [];
    this.pendingBytes = 0;
    this.lastFlushAt = performance.now();
    this.counters.bytesOut += bytes;
    this.ring.push({ seq, frame }, this.ackedSeq);
    this.unacked.push({ seq, bytes });
    this.unackedBytes += bytes;
    if (!this.paused && !this.exited && this.unackedBytes >= this.limits.windowBytes) {
      this.paused = true;
      this.counters.pauses += 1;
      this.pty.pause();
    }
    if (this.attached) this.sink.output(this.id, frame);
  }

  private onExit(exitCode: number, signal: number) {
    this.exited = signal ? { exitCode: null, signal: SIGNALS[signal] ?? `SIG${signal}` } : { exitCode, signal: null };
    // The last output goes out even past the window: the process is gone, so it is all there will be.
    this.flush();
    // Reported even without a console, so the control plane can close its record.
    this.sink.exit(this.id, this.exited.exitCode, this.exited.signal);
  }
}
