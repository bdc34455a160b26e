import { randomUUID } from 'node:crypto';
import { decodeTerminalFrame } from '@syntra/shared';
import type { TerminalManager, TerminalTransport } from '../../src/terminal/index.js';

/** Records what the manager sends; acknowledges output like a console would unless told not to. */
export class FakeConsole implements TerminalTransport {
  frames: { type: string; payload: any; replyTo?: string | undefined }[] = [];
  chunks: { seq: number; bytes: number }[] = [];
  /** The newest output (at most 256 KiB), decoded. */
  text = '';
  bytes = 0;
  keepAll = false;
  all: Buffer[] = [];
  manager!: TerminalManager;
  autoAck = true;
  connected = true;
  private waiters: (() => void)[] = [];

  sendFrame(type: string, payload: any, replyTo?: string) {
    this.frames.push({ type, payload, replyTo });
    this.wake();
  }
  sendOutput(sessionId: string, frame: Uint8Array) {
    if (!this.connected) return;
    const chunk = decodeTerminalFrame(frame);
    if (chunk?.kind !== 'output' || chunk.sessionId !== sessionId) throw new Error('not an output frame of this session');
    const { seq } = chunk;
    const data = Buffer.from(chunk.data.buffer, chunk.data.byteOffset, chunk.data.byteLength);
    this.chunks.push({ seq, bytes: data.byteLength });
    this.bytes += data.byteLength;
    this.text = (this.text + data.toString('utf8')).slice(-256 * 1024);
    if (this.keepAll) this.all.push(Buffer.from(data));
    if (this.autoAck) this.manager.ack({ id: randomUUID(), payload: { session_id: sessionId, seq } });
    this.wake();
  }
  replyError(replyTo: string, code: string, message: string) {
    this.frames.push({ type: 'error', payload: { code, message }, replyTo });
    this.wake();
  }

  get lastSeq() {
    return this.chunks.at(-1)?.seq ?? 0;
  }

  private wake() {
    for (const w of this.waiters.splice(0)) w();
  }

  /** Resolves when `pred` holds, re-checked on every frame or chunk; rejects after `ms`. */
  until(pred: () => boolean, ms = 10_000, what = 'condition'): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}; output so far: ${JSON.stringify(this.text.slice(-500))}`)), ms);
      const check = () => {
        if (pred()) {
          clearTimeout(timer);
          resolve();
        } else this.waiters.push(check);
      };
      check();
    });
  }
}
