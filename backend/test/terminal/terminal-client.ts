import WebSocket from 'ws';
import { TERMINAL_SUBPROTOCOL, decodeTerminalFrame, encodeTerminalFrame, ticketProtocol } from '@syntra/shared';

/** The desktop console's ack policy (terminal-connection.ts): once per 128 KiB, or 250 ms after output stops. */
const ACK_EVERY_BYTES = 128 * 1024;
const ACK_IDLE_MS = 250;

/**
 * A console's end of a terminal session, as the desktop component speaks it: the ticket in
 * `Sec-WebSocket-Protocol`, binary input/output frames, JSON resize/ack/close, resume with `?last_seq=`. Acknowledges output as it arrives unless
 * `ackMode` is 'manual' (a slow or stalled reader).
 */
export class TerminalClient {
  ws!: WebSocket;
  text = '';
  bytes = 0;
  lastSeq = 0;
  chunks = 0;
  messages: any[] = [];
  seqs: number[] = [];
  closed: { code: number; reason: string } | null = null;
  ackMode: 'auto' | 'manual' = 'auto';
  onOutput: ((data: Buffer) => void) | null = null;
  /** How much of the newest output `text` keeps. */
  keepChars = 256 * 1024;
  private unackedBytes = 0;
  private ackTimer: NodeJS.Timeout | null = null;
  private waiters: (() => void)[] = [];
  private inputSeq = 0;

  constructor(
    private readonly baseUrl: string,
    readonly sessionId: string,
    /** The ticket for the next attach: each attach spends one and the relay hands out the next. */
    public ticket: string,
  ) {}

  static async connect(baseUrl: string, sessionId: string, ticket: string, lastSeq = 0) {
    const c = new TerminalClient(baseUrl, sessionId, ticket);
    await c.open(lastSeq);
    return c;
  }

  open(lastSeq = this.lastSeq): Promise<void> {
    this.closed = null;
    const url = `${this.baseUrl.replace(/^http/, 'ws')}/api/v1/terminal/${this.sessionId}?last_seq=${lastSeq}`;
    // The ticket goes in a subprotocol, as browsers send it: never in the URL.
    const ws = new WebSocket(url, [TERMINAL_SUBPROTOCOL, ticketProtocol(this.ticket)], { perMessageDeflate: false });
    this.ws = ws;
    ws.on('message', (data: Buffer, isBinary) => {
      if (!isBinary) {
        const msg = JSON.parse(data.toString());
        if (msg.type === 'ticket') this.ticket = msg.ticket;
        this.messages.push(msg);
        return this.wake();
      }
      const chunk = decodeTerminalFrame(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      if (!chunk || chunk.kind !== 'output') return;
      this.seqs.push(chunk.seq);
      this.lastSeq = chunk.seq;
      this.chunks += 1;
      this.bytes += chunk.data.byteLength;
      const buf = Buffer.from(chunk.data.buffer, chunk.data.byteOffset, chunk.data.byteLength);
      this.onOutput?.(buf);
      // Only the end of a large chunk can stay in `text` (a character is at most 4 bytes): decoding
      // the rest would cost the bench's console more than a terminal's renderer keeps.
      const tail = buf.byteLength > this.keepChars * 4 ? buf.subarray(buf.byteLength - this.keepChars * 4) : buf;
      this.text = (this.text + tail.toString('utf8')).slice(-this.keepChars);
      if (this.ackMode === 'auto') this.scheduleAck(chunk.data.byteLength);
      this.wake();
    });
    ws.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      this.wake();
    });
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
    });
  }

  /** Acks go like a real console's: once per ACK_EVERY_BYTES of output, or once it goes quiet. */
  private scheduleAck(bytes: number) {
    this.unackedBytes += bytes;
    if (this.unackedBytes >= ACK_EVERY_BYTES) return this.ack();
    this.ackTimer ??= setTimeout(() => {
      this.ackTimer = null;
      if (this.ackMode === 'auto') this.ack();
    }, ACK_IDLE_MS);
  }

  ack(seq = this.lastSeq) {
    if (this.ackTimer) clearTimeout(this.ackTimer);
    this.ackTimer = null;
    this.unackedBytes = 0;
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify({ type: 'ack', seq }));
  }

  type(data: string | Buffer) {
    const bytes = typeof data === 'string' ? Buffer.from(data) : data;
    this.inputSeq += 1;
    this.ws.send(encodeTerminalFrame({ kind: 'input', sessionId: this.sessionId, seq: this.inputSeq, data: bytes }));
  }

  resize(cols: number, rows: number) {
    this.ws.send(JSON.stringify({ type: 'resize', cols, rows }));
  }

  close() {
    this.ws.send(JSON.stringify({ type: 'close' }));
  }

  /** Drops the socket without a goodbye, like a laptop losing its network. */
  kill() {
    this.ws.terminate();
  }

  private wake() {
    for (const w of this.waiters.splice(0)) w();
  }

  until(pred: () => boolean, ms = 15_000, what = 'condition'): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}; output tail: ${JSON.stringify(this.text.slice(-400))}`)), ms);
      const check = () => {
        if (pred()) {
          clearTimeout(timer);
          resolve();
        } else this.waiters.push(check);
      };
      check();
    });
  }

  /** Runs a command and waits for a marker the shell computes (the typed echo never matches it). */
  async run(cmd: string, marker = `m${Math.random().toString(36).slice(2, 8)}`) {
    this.type(`${cmd}; echo "${marker}-$((6*7))"\r`);
    await this.until(() => this.text.includes(`${marker}-42`), 15_000, marker);
  }
}
