import { TERMINAL_HEADER_BYTES, encodeTerminalFrame } from '@syntra/shared';

/** Bytes before the sequence number in a frame: the kind and the session id. */
const PREFIX_BYTES = TERMINAL_HEADER_BYTES - 4;

/**
 * Builds a session's output frames (PROTOCOL.md binary layout) straight from the pty's reads: one
 * copy into the frame, whose header part (kind, session id) is encoded once per session. The frame
 * is what the ring keeps and what a resume sends again, so output is never encoded twice.
 */
export class OutputFramer {
  private readonly prefix: Uint8Array;

  constructor(sessionId: string) {
    this.prefix = encodeTerminalFrame({ kind: 'output', sessionId, seq: 0, data: new Uint8Array(0) }).subarray(0, PREFIX_BYTES);
  }

  frame(seq: number, reads: readonly Uint8Array[], bytes: number): Buffer {
    const out = Buffer.allocUnsafe(TERMINAL_HEADER_BYTES + bytes);
    out.set(this.prefix, 0);
    out.writeUInt32BE(seq >>> 0, PREFIX_BYTES);
    let at = TERMINAL_HEADER_BYTES;
    for (const r of reads) {
      out.set(r, at);
      at += r.byteLength;
    }
    return out;
  }
}
