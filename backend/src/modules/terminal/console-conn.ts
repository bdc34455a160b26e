import { WebSocket } from 'ws';
import type { TerminalServerMessage } from '@syntra/shared';
import type { CastRecorder } from './asciicast.js';
import type { AttachCredential } from './terminal.service.js';

/** One console's terminal socket, on this node. */
export class ConsoleConn {
  bytesIn = 0;
  bytesOut = 0;
  alive = true;
  resumed = false;
  exited = false;
  /** The last output sequence number sent to this console. */
  lastSeq = 0;
  /** The credential this socket's access rests on (re-checked every ping round); null: none recorded. */
  credential: AttachCredential | null = null;

  constructor(
    readonly ws: WebSocket,
    readonly sessionId: string,
    readonly serverId: string,
    readonly orgId: string,
    readonly userId: string,
    readonly recorder: CastRecorder | null,
  ) {}

  get open() {
    return this.ws.readyState === WebSocket.OPEN;
  }

  message(msg: TerminalServerMessage) {
    if (this.open) this.ws.send(JSON.stringify(msg));
  }

  output(frame: Uint8Array, seq: number, data: Uint8Array) {
    if (seq <= this.lastSeq) return; // a replay overlapping what this console already has
    this.lastSeq = seq;
    this.bytesOut += data.byteLength;
    this.recorder?.output(seq, data);
    if (this.open) this.ws.send(frame, { binary: true });
  }

  /** Byte counts since the last call, for the session row. */
  takeCounts() {
    const counts = { bytesIn: this.bytesIn, bytesOut: this.bytesOut };
    this.bytesIn = 0;
    this.bytesOut = 0;
    return counts;
  }
}
