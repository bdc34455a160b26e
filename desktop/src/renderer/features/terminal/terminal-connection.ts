import { TERMINAL_CLOSE_CODES, TERMINAL_SUBPROTOCOL, decodeTerminalFrame, encodeTerminalFrame, ticketProtocol, type TerminalServerMessage } from '@syntra/shared';

/**
 * Acknowledgements only free the agent's flow-control window (1 MiB; it pauses the pty when full),
 * so they go once this much output is on screen, or shortly after output stops: not one per
 * keystroke echo, each of which would cost a JSON message through the backend to the agent.
 */
export const ACK_EVERY_BYTES = 128 * 1024;
export const ACK_IDLE_MS = 250;

export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'ended';

export interface TerminalConnectionEvents {
  /** Output to show; call `done` once it is on screen (that acknowledges it: flow control). */
  output(data: Uint8Array, done: () => void): void;
  message(msg: TerminalServerMessage): void;
  state(state: ConnectionState, detail?: string): void;
}

/**
 * The console's end of a terminal session (GET /api/v1/terminal/:id, WebSocket). Acknowledges
 * output once xterm has rendered it, in batches; when the socket drops it reconnects with the last
 * sequence number it saw, and the agent replays exactly what was missed.
 */
export class TerminalConnection {
  private ws: WebSocket | null = null;
  private lastSeq = 0;
  private renderedSeq = 0;
  private renderedBytes = 0;
  private ackedSeq = 0;
  private ackTimer: ReturnType<typeof setTimeout> | null = null;
  private inputSeq = 0;
  private attempts = 0;
  private stopped = false;
  private readonly encoder = new TextEncoder();

  constructor(
    private readonly wsUrl: string,
    readonly sessionId: string,
    private ticket: string,
    private readonly events: TerminalConnectionEvents,
  ) {}

  connect() {
    if (this.stopped) return;
    this.events.state(this.attempts === 0 && this.lastSeq === 0 ? 'connecting' : 'reconnecting');
    const ws = new WebSocket(`${this.wsUrl}?last_seq=${this.lastSeq}`, [TERMINAL_SUBPROTOCOL, ticketProtocol(this.ticket)]);
    ws.binaryType = 'arraybuffer';
    this.ws = ws;
    ws.onopen = () => {
      this.attempts = 0;
      this.events.state('open');
    };
    ws.onmessage = (ev: MessageEvent<ArrayBuffer | string>) => {
      if (typeof ev.data === 'string') {
        const msg = JSON.parse(ev.data) as TerminalServerMessage;
        // Each attach spends its ticket; a reconnect uses the one handed out for it.
        if (msg.type === 'ticket') return void (this.ticket = msg.ticket);
        if (msg.type === 'exit') this.stopped = true;
        this.events.message(msg);
        return;
      }
      const chunk = decodeTerminalFrame(new Uint8Array(ev.data));
      if (!chunk || chunk.kind !== 'output' || chunk.seq <= this.lastSeq) return;
      this.lastSeq = chunk.seq;
      const seq = chunk.seq;
      const bytes = chunk.data.byteLength;
      this.events.output(chunk.data, () => this.rendered(seq, bytes));
    };
    // An error is always followed by close, where reconnecting is decided; handled here so a socket
    // closed while still connecting (a tab closed at once) is no unhandled error.
    ws.onerror = () => undefined;
    ws.onclose = (ev) => {
      if (this.ws !== ws) return;
      this.ws = null;
      if (this.stopped || ev.code === TERMINAL_CLOSE_CODES.ended || ev.code === 1000) {
        this.stopped = true;
        return this.events.state('ended', ev.reason || undefined);
      }
      if (ev.code === TERMINAL_CLOSE_CODES.replaced) {
        this.stopped = true;
        return this.events.state('ended', 'opened in another window');
      }
      if (ev.code === TERMINAL_CLOSE_CODES.revoked) {
        this.stopped = true;
        return this.events.state('ended', 'access revoked');
      }
      // Exponential backoff with full jitter (1 s base, 30 s cap); the agent keeps the session meanwhile.
      this.attempts += 1;
      const delay = Math.random() * Math.min(30_000, 1000 * 2 ** Math.min(this.attempts, 5));
      this.events.state('reconnecting');
      setTimeout(() => this.connect(), delay);
    };
  }

  private rendered(seq: number, bytes: number) {
    this.renderedSeq = Math.max(this.renderedSeq, seq);
    this.renderedBytes += bytes;
    if (this.renderedBytes >= ACK_EVERY_BYTES) return this.ack();
    this.ackTimer ??= setTimeout(() => this.ack(), ACK_IDLE_MS);
  }

  private ack() {
    if (this.ackTimer) clearTimeout(this.ackTimer);
    this.ackTimer = null;
    this.renderedBytes = 0;
    if (this.renderedSeq > this.ackedSeq) this.sendJson({ type: 'ack', seq: (this.ackedSeq = this.renderedSeq) });
  }

  private sendJson(msg: object) {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(msg));
  }

  type(text: string) {
    if (this.ws?.readyState !== WebSocket.OPEN) return;
    this.inputSeq = (this.inputSeq + 1) >>> 0;
    this.ws.send(encodeTerminalFrame({ kind: 'input', sessionId: this.sessionId, seq: this.inputSeq, data: this.encoder.encode(text) }));
  }

  resize(cols: number, rows: number) {
    this.sendJson({ type: 'resize', cols, rows });
  }

  /** Hangs up the shell. */
  close() {
    this.sendJson({ type: 'close' });
    this.stopped = true;
  }

  /** Leaves the session running on the server (grace period) and stops reconnecting. */
  dispose() {
    this.stopped = true;
    this.ws?.close(4000, 'tab closed');
  }
}
