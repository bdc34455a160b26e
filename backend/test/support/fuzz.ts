/**
 * A small seeded generator of arbitrary JSON for the fuzz pass: the same seed gives the same
 * inputs, so a failure printed with its seed replays exactly (FUZZ_SEED=<seed> npm test -- malformed).
 */
export type Rng = () => number;

/** mulberry32: tiny, fast, good enough to pick inputs. */
export function rng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const pick = <T>(r: Rng, list: readonly T[]): T => list[Math.floor(r() * list.length)]!;

const STRINGS = ['', ' ', 'a', 'main', 'x\u0000y', '\u0000', '../../etc/passwd', '%E0%A4%A', '😀'.repeat(50), 'é', '\ud800', 'null', 'true', '-1', '1e999',
  '0000-01-01T00:00:00Z', '99999-12-31', '2024-02-30T00:00:00Z', 'MXx4', '00000000-0000-0000-0000-000000000000', 'https://127.0.0.1:1/x', 'file:///etc', '<script>', "'; drop table users; --"];
const NUMBERS = [0, -1, 1, 1.5, -0.5, 2 ** 31, 2 ** 31 - 1, -(2 ** 31) - 1, 2 ** 53, -(2 ** 53), 2 ** 63, 1e300, -1e300, Number.MIN_VALUE];

export function arbitraryString(r: Rng): string {
  const roll = r();
  if (roll < 0.6) return pick(r, STRINGS);
  if (roll < 0.8) return 'x'.repeat(Math.floor(r() * 600));
  return Array.from({ length: Math.floor(r() * 40) }, () => String.fromCharCode(Math.floor(r() * 0x3000))).join('');
}

export function arbitraryJson(r: Rng, depth = 0): unknown {
  const roll = r();
  if (depth > 4 || roll < 0.3) return pick(r, [null, true, false, ...NUMBERS, arbitraryString(r)]);
  if (roll < 0.45) return arbitraryString(r);
  if (roll < 0.55) return pick(r, NUMBERS);
  if (roll < 0.75) return Array.from({ length: Math.floor(r() * 4) }, () => arbitraryJson(r, depth + 1));
  const obj: Record<string, unknown> = {};
  for (let i = Math.floor(r() * 4); i > 0; i -= 1) obj[arbitraryString(r).slice(0, 40)] = arbitraryJson(r, depth + 1);
  return obj;
}

/** A string for a query or path value. */
export function arbitraryParam(r: Rng): string {
  const v = arbitraryJson(r, 3);
  return typeof v === 'string' ? v : JSON.stringify(v);
}
