import { z } from 'zod';
import { hasNoNul, NUL_MESSAGE } from './strings.js';

/** PostgreSQL's `integer` (int4) and `bigint` (int8, as far as a JS number is exact) ranges. */
export const INT4_MIN = -2_147_483_648;
export const INT4_MAX = 2_147_483_647;
export const INT8_SAFE_MAX = Number.MAX_SAFE_INTEGER;

/** An integer that fits the int4 column it is stored in or compared with (`min`/`max` narrow it further). */
export function int4(min = INT4_MIN, max = INT4_MAX) {
  return z.number().int().min(Math.max(min, INT4_MIN)).max(Math.min(max, INT4_MAX));
}

/** The same from a query string: `"12"` → 12; NaN, floats and out-of-range values are a 400. */
export function queryInt4(min = INT4_MIN, max = INT4_MAX) {
  return z.coerce.number().int().min(Math.max(min, INT4_MIN)).max(Math.min(max, INT4_MAX));
}

/**
 * Years PostgreSQL's timestamptz and JavaScript's Date both represent exactly. PostgreSQL has no
 * year 0 (`0000-01-01` is refused), and five-digit years do not round-trip through ISO strings.
 */
const MIN_YEAR = 1;
const MAX_YEAR = 9999;

export function isStorableTimestamp(value: string): boolean {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) return false;
  const year = new Date(ms).getUTCFullYear();
  return year >= MIN_YEAR && year <= MAX_YEAR;
}

/** An ISO-8601 date-time within the range PostgreSQL stores (`offset` as for z.iso.datetime). */
export function storableDateTime(opts: { offset?: boolean } = {}) {
  return z.iso.datetime(opts).max(40).refine(isStorableTimestamp, `must be between year ${MIN_YEAR} and ${MAX_YEAR}`);
}

/**
 * Free-form JSON (command args, metadata) ends up in a jsonb column and goes through
 * JSON.stringify on the way: a 20k-deep value overflowed the stack there. Bounded here, checked
 * without recursion so the check itself cannot overflow.
 */
export const MAX_JSON_DEPTH = 32;
export const MAX_JSON_NODES = 10_000;

/** Whether a parsed JSON value nests deeper than `max` (iterative: safe on any depth). */
export function jsonDeeperThan(value: unknown, max: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth >= max) return true;
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
  return false;
}

/** Why `value` cannot be stored as jsonb, or null when it can. */
export function jsonProblem(value: unknown, maxDepth = MAX_JSON_DEPTH): string | null {
  const stack: Array<[unknown, number]> = [[value, 0]];
  let nodes = 0;
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if ((nodes += 1) > MAX_JSON_NODES) return `has more than ${MAX_JSON_NODES} values`;
    if (typeof v === 'string') {
      if (!hasNoNul(v)) return NUL_MESSAGE;
    } else if (typeof v === 'number') {
      if (!Number.isFinite(v)) return 'numbers must be finite';
    } else if (v !== null && typeof v === 'object') {
      if (depth >= maxDepth) return `is nested deeper than ${maxDepth} levels`;
      for (const [k, child] of Object.entries(v)) {
        if (!hasNoNul(k)) return `keys ${NUL_MESSAGE}`;
        stack.push([child, depth + 1]);
      }
    } else if (v !== null && typeof v !== 'boolean' && v !== undefined) {
      return 'is not JSON';
    }
  }
  return null;
}

function refineJson(value: unknown, ctx: z.RefinementCtx) {
  const problem = jsonProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: `JSON value ${problem}` });
}

/** Any JSON value, bounded (see jsonProblem). */
export const JsonValueSchema = z.unknown().superRefine(refineJson);

/** A JSON object with bounded keys and values: `args`, `metadata`, `settings`. */
export const JsonObjectSchema = z.record(z.string().max(200), z.unknown()).superRefine(refineJson);

/**
 * For text the sender does not fully control (a program's output in a log line, an error message
 * from a child process): every NUL in strings and keys becomes U+FFFD in place, so the text stays
 * storable and visibly marked instead of the whole message being refused. Returns false (and
 * leaves the rest) when the value nests deeper than `maxDepth`. Iterative: safe on any depth.
 */
export function scrubNul(value: unknown, maxDepth: number): boolean {
  const stack: Array<[Record<string, unknown> | unknown[], number]> = [];
  if (value !== null && typeof value === 'object') stack.push([value as Record<string, unknown>, 0]);
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (depth >= maxDepth) return false;
    for (const key of Object.keys(node)) {
      const record = node as Record<string, unknown>;
      let child = record[key];
      if (typeof child === 'string' && !hasNoNul(child)) record[key] = child = child.replaceAll('\u0000', '\ufffd');
      if (!Array.isArray(node) && !hasNoNul(key)) {
        delete record[key];
        record[key.replaceAll('\u0000', '\ufffd')] = child;
      }
      if (child !== null && typeof child === 'object') stack.push([child as Record<string, unknown>, depth + 1]);
    }
  }
  return true;
}
