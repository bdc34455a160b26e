import { WebSocket } from 'ws';
import { TERMINAL_HEADER_BYTES, type TerminalServerMessage, terminalFrameSeq, terminalSessionBytes } from '@syntra/shared';
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
  /** The session id as frames carry it: each input frame is checked against it. */
  readonly sessionBytes: Uint8Array;

  constructor(
    readonly ws: WebSocket,
    readonly sessionId: string,
    readonly serverId: string,
    readonly orgId: string,
    readonly userId: string,
    readonly recorder: CastRecorder | null,
  ) {
    this.sessionBytes = terminalSessionBytes(sessionId);
  }

  get open() {
    return this.ws.readyState === WebSocket.OPEN;
  }

  message(msg: TerminalServerMessage) {
    if (this.open) this.ws.send(JSON.stringify(msg));
  }

  /** An output frame of this session (checked by the caller), passed on as it came. */
  output(frame: Uint8Array) {
    const seq = terminalFrameSeq(frame);
    if (seq <= this.lastSeq) return; // a replay overlapping what this console already has
    this.lastSeq = seq;
    this.bytesOut += frame.byteLength - TERMINAL_HEADER_BYTES;
    if (this.open) this.ws.send(frame, { binary: true });
    // After the send: a recorded session's echo does not wait for its write to the recording.
    this.recorder?.output(seq, frame.subarray(TERMINAL_HEADER_BYTES));
  }

  /** Byte counts since the last call, for the session row. */
  takeCounts() {
    const counts = { bytesIn: this.bytesIn, bytesOut: this.bytesOut };
    this.bytesIn = 0;
    this.bytesOut = 0;
    return counts;
  }
}
