/** Small readers of untrusted JSON: an SDK payload may hold anything anywhere. */

export type Json = Record<string, unknown>;

export function obj(v: unknown): Json | null {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : null;
}

/** A string (numbers and booleans as text), cut to `max` characters; null for anything else or empty. */
export function str(v: unknown, max = 1000): string | null {
  let s: string;
  if (typeof v === 'string') s = v;
  else if (typeof v === 'number' && Number.isFinite(v)) s = String(v);
  else if (typeof v === 'boolean') s = String(v);
  else return null;
  // NUL cannot be stored in PostgreSQL text (and means nothing in a message).
  s = s.replaceAll(String.fromCharCode(0), '');
  if (s.length === 0) return null;
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

export function int(v: unknown): number | null {
  return typeof v === 'number' && Number.isInteger(v) && Math.abs(v) <= 2_147_483_647 ? v : null;
}

export function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** Sentry's "list or `{values: list}`" containers (exception, breadcrumbs, threads). */
export function values(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  return arr(obj(v)?.values);
}

/** Seconds since the epoch (float) or an ISO 8601 string, as a Date; null if neither. */
export function time(v: unknown): Date | null {
  let d: Date | null = null;
  if (typeof v === 'number' && Number.isFinite(v)) d = new Date(Math.round(v * 1000));
  else if (typeof v === 'string' && v.length <= 64) {
    const n = Number(v);
    d = Number.isFinite(n) && /^\d+(\.\d+)?$/.test(v) ? new Date(Math.round(n * 1000)) : new Date(v);
  }
  return d && Number.isFinite(d.getTime()) ? d : null;
}

/** A string-to-string map from an object or a list of pairs (`[[k, v]]` or `[{key, value}]`). */
export function pairs(v: unknown, maxEntries: number, maxKey: number, maxValue: number): Record<string, string> {
  const out: Record<string, string> = {};
  let n = 0;
  const put = (k: unknown, val: unknown) => {
    const key = str(k, maxKey);
    const value = str(val, maxValue);
    if (key === null || value === null || n >= maxEntries || key === '__proto__') return;
    if (!(key in out)) n += 1;
    out[key] = value;
  };
  if (Array.isArray(v)) {
    for (const item of v) {
      if (Array.isArray(item)) put(item[0], item[1]);
      else if (obj(item)) put(obj(item)!.key, obj(item)!.value);
    }
  } else if (obj(v)) {
    for (const [k, val] of Object.entries(obj(v)!)) put(k, val);
  }
  return out;
}

/** A JSON object kept as is (minus prototype keys), or {}; bounded by the intake's 1 MiB event limit. */
export function record(v: unknown): Record<string, unknown> {
  const o = obj(v);
  if (!o) return {};
  const out: Record<string, unknown> = {};
  for (const [k, val] of Object.entries(o)) if (k !== '__proto__') out[k.slice(0, 200)] = val;
  return out;
}
