import { describe, expect, it } from 'vitest';
import { anyValueToString, hexId, nanosToDateTime64, toBigInt } from './otlp-values.js';

describe('OTLP value conversions', () => {
  it('formats nanoseconds exactly, across seconds and before 1970-01-02', () => {
    expect(nanosToDateTime64(1764590400123456789n)).toBe('2025-12-01 12:00:00.123456789');
    expect(nanosToDateTime64(1764590401000000001n)).toBe('2025-12-01 12:00:01.000000001');
    expect(nanosToDateTime64(1764590400000000000n)).toBe('2025-12-01 12:00:00.000000000');
    expect(nanosToDateTime64(5n)).toBe('1970-01-01 00:00:00.000000005');
  });

  it('reads 64-bit integers in every form the decoders produce', () => {
    expect(toBigInt('1764590400123456789')).toBe(1764590400123456789n);
    expect(toBigInt(42)).toBe(42n);
    expect(toBigInt({ toString: () => '7' })).toBe(7n);
    expect(toBigInt(null)).toBe(0n);
    // protobufjs Longs: fixed64 (unsigned) and int64 (signed) halves.
    expect(toBigInt({ low: 908722177, high: 395812094, unsigned: true })).toBe(1700000000000000001n);
    expect(toBigInt({ low: -1, high: -1, unsigned: false })).toBe(-1n);
    expect(toBigInt({ low: -1, high: -1, unsigned: true })).toBe(18446744073709551615n);
  });

  it('treats absent and all-zero ids as none, and refuses ids of the wrong length', () => {
    expect(hexId(new Uint8Array(0), 8)).toBe('');
    expect(hexId(new Uint8Array(8), 8)).toBe('');
    expect(hexId(Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]), 8)).toBe('0102030405060708');
    expect(hexId(Uint8Array.from([1, 2, 3]), 8)).toBeNull();
  });

  it('writes non-string values as the exporter does: scalars as text, arrays and maps as JSON', () => {
    expect(anyValueToString({ intValue: '9007199254740993' })).toBe('9007199254740993');
    expect(anyValueToString({ boolValue: false })).toBe('false');
    expect(anyValueToString({ arrayValue: { values: [{ stringValue: 'a' }, { intValue: 2 }] } })).toBe('["a",2]');
    expect(anyValueToString({ kvlistValue: { values: [{ key: 'k', value: { doubleValue: 1.5 } }] } })).toBe('{"k":1.5}');
    expect(anyValueToString({ bytesValue: Uint8Array.from([255]) })).toBe('/w==');
  });
});
