/** Conversions from OTLP values to the exporter's column values (the Collector's `AsString` rules). */
import type { AnyValue, Int64, KeyValue } from './otlp-model.js';

type Opt<T> = T | null | undefined;

/** A 64-bit OTLP integer (number, decimal string or protobufjs Long) as a bigint; 0n when absent. */
export function toBigInt(value: Opt<Int64>): bigint {
  if (value === null || value === undefined) return 0n;
  if (typeof value === 'number') return Number.isFinite(value) ? BigInt(Math.trunc(value)) : 0n;
  if (typeof value === 'string') return BigInt(value);
  // protobufjs's Long: from its two halves (toString() divides, and is the mapping's slowest step).
  if (typeof value.low === 'number' && typeof value.high === 'number') {
    const n = (BigInt(value.high >>> 0) << 32n) | BigInt(value.low >>> 0);
    return value.unsigned ? n : BigInt.asIntN(64, n);
  }
  return BigInt(value.toString());
}

/**
 * A 64-bit count as a JS number for a UInt64 column (counts never reach 2^53 in practice). Negative
 * values (only JSON can say so) become 0: one value ClickHouse refuses would fail the whole batch.
 */
export function toCount(value: Opt<Int64>): number {
  const n = toBigInt(value);
  return n < 0n ? 0 : Number(n);
}

/** Any integer into a column of `bits` (8, 32), 0 when it does not fit, for the same reason. */
export function fitUnsigned(value: Opt<number>, bits: 8 | 32): number {
  const n = value ?? 0;
  return Number.isInteger(n) && n >= 0 && n < 2 ** bits ? n : 0;
}
/** Any integer into an Int32 column, 0 when it does not fit. */
export function fitInt32(value: Opt<number>): number {
  const n = value ?? 0;
  return Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 ? n : 0;
}

/** A time that is not the row's own (an event's, an exemplar's) into DateTime64(9)'s range. */
export function clampNanos(nanos: bigint): bigint {
  return nanos < 0n ? 0n : nanos > MAX_NANOS ? MAX_NANOS : nanos;
}

/** Nanoseconds since the epoch as ClickHouse's DateTime64(9) text, `YYYY-MM-DD hh:mm:ss.nnnnnnnnn` (UTC). */
export function nanosToDateTime64(nanos: bigint): string {
  const seconds = nanos / 1_000_000_000n;
  // A request's records mostly share their second: its text is formatted once (the mapping's hottest line).
  if (seconds !== lastSecond) {
    const iso = new Date(Number(seconds) * 1000).toISOString();
    lastSecond = seconds;
    lastSecondText = `${iso.slice(0, 10)} ${iso.slice(11, 19)}.`;
  }
  return lastSecondText + (nanos - seconds * 1_000_000_000n).toString().padStart(9, '0');
}
let lastSecond = -1n;
let lastSecondText = '';

/** The latest timestamp DateTime64(9) holds (2262-04-11); later ones are rejected, not wrapped. */
export const MAX_NANOS = 9_223_372_036_854_775_807n;

/**
 * A trace (16 bytes) or span (8 bytes) id as lower-case hex; '' when absent (all-zero counts as absent,
 * as the spec says it is invalid); null when it has the wrong length, which rejects the item.
 */
export function hexId(bytes: Opt<Uint8Array>, length: 8 | 16): string | null {
  if (!bytes || bytes.length === 0) return '';
  if (bytes.length !== length) return null;
  const hex = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
  return /^0+$/.test(hex) ? '' : hex;
}

function anyValueToJson(value: Opt<AnyValue>): unknown {
  if (!value) return null;
  if (value.stringValue !== null && value.stringValue !== undefined) return value.stringValue;
  if (value.boolValue !== null && value.boolValue !== undefined) return value.boolValue;
  if (value.intValue !== null && value.intValue !== undefined) {
    const n = toBigInt(value.intValue);
    return n <= BigInt(Number.MAX_SAFE_INTEGER) && n >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(n) : n.toString();
  }
  if (value.doubleValue !== null && value.doubleValue !== undefined) return value.doubleValue;
  if (value.bytesValue) return Buffer.from(value.bytesValue).toString('base64');
  if (value.arrayValue) return (value.arrayValue.values ?? []).map(anyValueToJson);
  if (value.kvlistValue) {
    const out: Record<string, unknown> = {};
    for (const kv of value.kvlistValue.values ?? []) if (kv.key) out[kv.key] = anyValueToJson(kv.value);
    return out;
  }
  return null;
}

/** A value as the exporter stores it in a String column: scalars as text, arrays and maps as JSON. */
export function anyValueToString(value: Opt<AnyValue>): string {
  if (!value) return '';
  if (value.stringValue !== null && value.stringValue !== undefined) return value.stringValue;
  const json = anyValueToJson(value);
  if (json === null) return '';
  return typeof json === 'string' ? json : JSON.stringify(json);
}

/** Attributes as a Map(String, String) column; a repeated key keeps its last value. */
export function attributesToMap(attributes: Opt<KeyValue[]>): Record<string, string> {
  const out: Record<string, string> = {};
  if (!attributes) return out;
  for (const kv of attributes) if (kv.key) out[kv.key] = anyValueToString(kv.value);
  return out;
}
