import { describe, expect, it } from 'vitest';
import { int4, JsonObjectSchema, jsonDeeperThan, queryInt4, scrubNul, storableDateTime } from './bounds.js';
import { decodeKeysetCursor, encodeKeysetCursor, keysetCursorSchema, SerialCursorSchema } from './cursor.js';
import { text } from './strings.js';

const deep = (n: number) => {
  let v: unknown = 1;
  for (let i = 0; i < n; i += 1) v = [v];
  return v;
};

describe('bounded request schemas', () => {
  it('text refuses NUL and counts its maximum', () => {
    expect(text(5).safeParse('abcde').success).toBe(true);
    expect(text(5).safeParse('abcdef').success).toBe(false);
    expect(text(5).safeParse('a\u0000b').error?.issues[0]?.message).toMatch(/NUL/);
  });

  it('int4 and queryInt4 stop at what an integer column holds', () => {
    expect(int4().safeParse(2 ** 31 - 1).success).toBe(true);
    expect(int4().safeParse(2 ** 31).success).toBe(false);
    expect(int4(0).safeParse(-1).success).toBe(false);
    for (const bad of ['9007199254740991', '2147483648', 'NaN', '1.5', 'Infinity']) expect(queryInt4(0).safeParse(bad).success, bad).toBe(false);
    expect(queryInt4(0).safeParse('42').data).toBe(42);
  });

  it('storableDateTime refuses year 0, five-digit years and impossible days', () => {
    const s = storableDateTime({ offset: true });
    expect(s.safeParse('2026-12-01T10:00:00+01:00').success).toBe(true);
    for (const bad of ['0000-01-01T00:00:00Z', '99999-01-01T00:00:00Z', '2024-02-30T00:00:00Z', '0000-01-01']) expect(s.safeParse(bad).success, bad).toBe(false);
  });

  it('free-form JSON is bounded in depth and refuses NUL anywhere, without recursing', () => {
    expect(JsonObjectSchema.safeParse({ a: { b: [1, 'x', null] } }).success).toBe(true);
    expect(JsonObjectSchema.safeParse({ a: deep(40) }).success).toBe(false);
    expect(JsonObjectSchema.safeParse({ a: deep(100_000) }).success).toBe(false);
    expect(JsonObjectSchema.safeParse({ a: ['x\u0000'] }).success).toBe(false);
    expect(JsonObjectSchema.safeParse({ 'k\u0000': 1 }).success).toBe(false);
    expect(jsonDeeperThan(deep(100_000), 64)).toBe(true);
    expect(jsonDeeperThan(deep(10), 64)).toBe(false);
  });

  it('scrubNul marks NUL in strings and keys with U+FFFD in place and refuses absurd depth', () => {
    const v = { line: 'a\u0000b', nested: [{ ['k\u0000']: 'x\u0000' }] };
    expect(scrubNul(v, 64)).toBe(true);
    expect(v).toEqual({ line: 'a\ufffdb', nested: [{ 'k\ufffd': 'x\ufffd' }] });
    expect(scrubNul(deep(100_000), 64)).toBe(false);
  });
});

describe('cursors by key type', () => {
  const at = new Date('2026-11-30T12:34:56.789Z');
  const uuid = '2b0c6a52-0f5e-4c55-9a55-1d2b3c4d5e6f';
  /** An independent (bit-string) base64url encoder: shared has neither Buffer nor btoa. */
  const b64 = (s: string) => {
    const A = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const bits = [...s].map((c) => c.charCodeAt(0).toString(2).padStart(8, '0')).join('');
    return (bits.match(/.{1,6}/g) ?? []).map((g) => A[parseInt(g.padEnd(6, '0'), 2)]).join('');
  };

  it('round-trips what the server encodes, byte for byte like Buffer base64url', () => {
    const c = encodeKeysetCursor(at, uuid);
    expect(c).toBe('MjAyNi0xMS0zMFQxMjozNDo1Ni43ODlafDJiMGM2YTUyLTBmNWUtNGM1NS05YTU1LTFkMmIzYzRkNWU2Zg');
    expect(c).toBe(b64(`${at.toISOString()}|${uuid}`));
    expect(decodeKeysetCursor(c, 'uuid')).toEqual({ at: at.toISOString(), id: uuid });
    expect(decodeKeysetCursor(encodeKeysetCursor(at, '42'), 'serial')).toEqual({ at: at.toISOString(), id: '42' });
  });

  it('a uuid list refuses serial ids and the other way round; timestamps must be real and storable', () => {
    const uuidList = keysetCursorSchema('uuid');
    const serialList = keysetCursorSchema('serial');
    expect(uuidList.safeParse(encodeKeysetCursor(at, '1')).success).toBe(false);
    expect(serialList.safeParse(encodeKeysetCursor(at, uuid)).success).toBe(false);
    for (const bad of [b64('1|x'), uuid, 'garbage!!', b64('\u0000\u00ff|'), b64(`0000-01-01T00:00:00.000Z|${uuid}`), b64(`2024-02-30T00:00:00.000Z|${uuid}`), b64(`${at.toISOString()}|${uuid}|extra`)]) {
      expect(uuidList.safeParse(bad).success, bad).toBe(false);
    }
    expect(serialList.safeParse(b64(`${at.toISOString()}|9223372036854775808`)).success).toBe(false);
    expect(SerialCursorSchema.safeParse('9223372036854775807').success).toBe(true);
    expect(SerialCursorSchema.safeParse('9223372036854775808').success).toBe(false);
    expect(SerialCursorSchema.safeParse(uuid).success).toBe(false);
  });
});
