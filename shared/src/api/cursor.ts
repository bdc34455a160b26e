import { z } from 'zod';
import { isStorableTimestamp } from './bounds.js';

/**
 * Keyset cursors (base64url of `<ISO timestamp>|<row id>`) are opaque to clients, but the server
 * compares their parts with real columns: a uuid list handed a numeric id, a bigserial list handed
 * a uuid, or a timestamp PostgreSQL cannot store used to fail in the database (500). Each list
 * validates its cursor by the key type it pages, so a forged or stale one is a 400 naming `cursor`.
 */
export type CursorIdKind = 'uuid' | 'serial';

export interface KeysetCursor {
  at: string;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** What encodeCursor writes: Date#toISOString, milliseconds, UTC. */
const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
/** Positive bigserial ids up to int8's maximum (9223372036854775807). */
const INT8_MAX = 9_223_372_036_854_775_807n;

export function isSerialId(id: string): boolean {
  return /^[1-9]\d{0,18}$/.test(id) && BigInt(id) <= INT8_MAX;
}

function isId(id: string, kind: CursorIdKind): boolean {
  return kind === 'uuid' ? UUID.test(id) : isSerialId(id);
}

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * Cursors are ASCII, so a byte-per-character codec is enough; written out because `shared` runs
 * in the browser and in Node and may assume neither Buffer nor atob.
 */
function fromBase64Url(value: string): string | null {
  if (value.length % 4 === 1) return null;
  let bits = 0;
  let acc = 0;
  let out = '';
  for (const ch of value.replace(/=+$/, '')) {
    const v = B64URL.indexOf(ch);
    if (v < 0) return null;
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += String.fromCharCode((acc >> bits) & 0xff);
    }
  }
  return out;
}

function toBase64Url(ascii: string): string {
  let out = '';
  for (let i = 0; i < ascii.length; i += 3) {
    const [a, b, c] = [ascii.charCodeAt(i), ascii.charCodeAt(i + 1), ascii.charCodeAt(i + 2)];
    const n = (a << 16) | ((b || 0) << 8) | (c || 0);
    out += B64URL[(n >> 18) & 63]! + B64URL[(n >> 12) & 63]!;
    if (i + 1 < ascii.length) out += B64URL[(n >> 6) & 63]!;
    if (i + 2 < ascii.length) out += B64URL[n & 63]!;
  }
  return out;
}

export function encodeKeysetCursor(at: Date, id: string): string {
  return toBase64Url(`${at.toISOString()}|${id}`);
}

/** The cursor's parts, or null when it is not a cursor of a list keyed by `kind`. */
export function decodeKeysetCursor(cursor: string, kind: CursorIdKind): KeysetCursor | null {
  const decoded = fromBase64Url(cursor);
  if (decoded === null) return null;
  const parts = decoded.split('|');
  if (parts.length !== 2) return null;
  const [at, id] = parts as [string, string];
  if (!ISO_MS.test(at) || !isStorableTimestamp(at) || new Date(at).toISOString() !== at || !isId(id, kind)) return null;
  return { at, id };
}

/** The `cursor` query field of a (time, id) keyset list whose ids are `kind`. */
export function keysetCursorSchema(kind: CursorIdKind) {
  return z
    .string()
    .max(200)
    .refine((c) => decodeKeysetCursor(c, kind) !== null, 'not a cursor of this list (pass back next_cursor as it was given)');
}

/** The `cursor` of a list paged by a bigserial id alone (newest first). */
export const SerialCursorSchema = z.string().max(20).refine(isSerialId, 'not a cursor of this list (pass back next_cursor as it was given)');
