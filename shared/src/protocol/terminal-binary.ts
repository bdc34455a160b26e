/**
 * Binary terminal frames: `1 byte kind` (0 input, 1 output) · `16 bytes session id` (UUID bytes) ·
 * `4 bytes sequence number, big-endian` · data.
 */
export const TERMINAL_KIND = { input: 0, output: 1 } as const;
export type TerminalKind = 'input' | 'output';
export const TERMINAL_HEADER_BYTES = 21;

export interface TerminalChunk {
  kind: TerminalKind;
  sessionId: string;
  seq: number;
  data: Uint8Array;
}

const HEX = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The last session id converted each way. Every keystroke and every output batch passes through
 * here, nearly always for the session of the one before: the memo spares the hex work and, as the
 * same string comes back each time, the string's hashing in the Maps that route it.
 */
const lastEncoded = { uuid: '', bytes: new Uint8Array(16) };
const lastDecoded = { uuid: '', bytes: new Uint8Array(16) };

function uuidToBytes(uuid: string, into: Uint8Array, offset: number) {
  if (uuid !== lastEncoded.uuid) {
    if (!HEX.test(uuid)) throw new Error(`not a uuid: ${uuid}`);
    const hex = uuid.replace(/-/g, '');
    for (let i = 0; i < 16; i += 1) lastEncoded.bytes[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
    lastEncoded.uuid = uuid;
  }
  into.set(lastEncoded.bytes, offset);
}

/** Two hex digits per byte value: every frame on the terminal path is decoded, keystrokes included. */
const HEX_BYTE = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

function bytesToUuid(bytes: Uint8Array, offset: number): string {
  const last = lastDecoded.bytes;
  let same = lastDecoded.uuid !== '';
  for (let i = 0; same && i < 16; i += 1) same = bytes[offset + i] === last[i];
  if (same) return lastDecoded.uuid;
  let out = '';
  for (let i = 0; i < 16; i += 1) {
    if (i === 4 || i === 6 || i === 8 || i === 10) out += '-';
    out += HEX_BYTE[bytes[offset + i]!]!;
  }
  last.set(bytes.subarray(offset, offset + 16));
  lastDecoded.uuid = out;
  return out;
}

export function encodeTerminalFrame(chunk: TerminalChunk): Uint8Array {
  if (!Number.isInteger(chunk.seq) || chunk.seq < 0 || chunk.seq > 0xffffffff) throw new Error('seq out of range');
  const out = new Uint8Array(TERMINAL_HEADER_BYTES + chunk.data.byteLength);
  out[0] = TERMINAL_KIND[chunk.kind];
  uuidToBytes(chunk.sessionId, out, 1);
  new DataView(out.buffer).setUint32(17, chunk.seq, false);
  out.set(chunk.data, TERMINAL_HEADER_BYTES);
  return out;
}

/** A session id as the 16 bytes frames carry, for checking frames with `isTerminalFrameOf`. */
export function terminalSessionBytes(sessionId: string): Uint8Array {
  const out = new Uint8Array(16);
  uuidToBytes(sessionId, out, 0);
  return out;
}

/**
 * Whether `frame` is a whole frame of `kind` for the session whose id bytes are `session`: the
 * relay's check on every keystroke and output batch, without decoding (no allocation on the path).
 */
export function isTerminalFrameOf(frame: Uint8Array, kind: TerminalKind, session: Uint8Array): boolean {
  if (frame.byteLength < TERMINAL_HEADER_BYTES || frame[0] !== TERMINAL_KIND[kind]) return false;
  for (let i = 0; i < 16; i += 1) if (frame[1 + i] !== session[i]) return false;
  return true;
}

/** The sequence number of a frame already known to be whole (`isTerminalFrameOf` or `decodeTerminalFrame`). */
export function terminalFrameSeq(frame: Uint8Array): number {
  return ((frame[17]! << 24) | (frame[18]! << 16) | (frame[19]! << 8) | frame[20]!) >>> 0;
}

/** The session id of a frame already known to be whole (no allocation when it is the last one's session). */
export function terminalFrameSessionId(frame: Uint8Array): string {
  return bytesToUuid(frame, 1);
}

/** Returns null for a frame that is too short or of an unknown kind. */
export function decodeTerminalFrame(frame: Uint8Array): TerminalChunk | null {
  if (frame.byteLength < TERMINAL_HEADER_BYTES) return null;
  const kind = frame[0] === 0 ? 'input' : frame[0] === 1 ? 'output' : null;
  if (!kind) return null;
  const seq = new DataView(frame.buffer, frame.byteOffset, frame.byteLength).getUint32(17, false);
  return { kind, sessionId: bytesToUuid(frame, 1), seq, data: frame.subarray(TERMINAL_HEADER_BYTES) };
}
