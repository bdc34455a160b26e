import type { IPty } from '@lydell/node-pty';
import { decodeTerminalFrame } from '@syntra/shared';
import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_LIMITS, TerminalSession } from './terminal-session.js';

/** A pty whose reads the test hands out, one `onData` call each, as node-pty delivers them. */
function fakePty() {
  let onData: (d: Buffer) => void = () => undefined;
  const pty = {
    pid: 1,
    onData: (f: (d: Buffer) => void) => void (onData = f),
    onExit: () => undefined,
    pause: () => undefined,
    resume: () => undefined,
    write: () => undefined,
    resize: () => undefined,
    kill: () => undefined,
  };
  return { pty: pty as unknown as IPty, read: (d: Buffer) => onData(d) };
}

function session(limits = DEFAULT_LIMITS) {
  const frames: { seq: number; data: Buffer }[] = [];
  const { pty, read } = fakePty();
  const s = new TerminalSession('7d2b8f7e-7c1a-4f43-9d7e-2f1f0c7a1b11', pty, {
    output: (_id, frame) => {
      const c = decodeTerminalFrame(frame)!;
      frames.push({ seq: c.seq, data: Buffer.from(c.data) });
    },
    exit: () => undefined,
  }, limits);
  return { s, frames, read };
}

describe('terminal session output batching', () => {
  it('sends a keystroke’s echo at once, without waiting for a batch', () => {
    const { frames, read } = session({ ...DEFAULT_LIMITS, batchMs: 60_000 });
    read(Buffer.from('k'));
    expect(frames).toEqual([{ seq: 1, data: Buffer.from('k') }]);
  });

  it('gathers a flood of full reads into large frames, in order and complete', async () => {
    const { frames, read } = session({ ...DEFAULT_LIMITS, batchMs: 20 });
    const reads = Array.from({ length: 100 }, (_, i) => Buffer.alloc(4095, 65 + (i % 26)));
    for (const r of reads) read(r);
    const total = reads.length * 4095;
    // The batch timer sends the tail.
    await vi.waitFor(() => expect(frames.reduce((n, f) => n + f.data.byteLength, 0)).toBe(total), { timeout: 5000 });
    expect(Buffer.concat(frames.map((f) => f.data)).equals(Buffer.concat(reads))).toBe(true);
    expect(frames.map((f) => f.seq)).toEqual(frames.map((_, i) => i + 1));
    // 100 reads, but a handful of frames: the first read at once, then batches of up to 64 KiB.
    expect(frames.length).toBeLessThan(20);
  });
});
