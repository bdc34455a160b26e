/**
 * Fuzz pass over the OTLP intake: valid requests of each signal with bytes flipped (protobuf) or
 * leaves replaced by arbitrary JSON. Every answer is a 200 or a 4xx, never a 5xx, and the store is
 * never handed a row ClickHouse refuses (which would fail a batch shared with other senders).
 * FUZZ_SEED=<seed> replays a run.
 */
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { arbitraryJson, pick, rng } from '../support/fuzz.js';
import { KEYS, type OtlpTestServer, serveOtlp } from './otlp-support.js';

const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 100_000);
const CASES = 120;
let server: OtlpTestServer;
beforeAll(async () => {
  server = await serveOtlp();
});
afterAll(() => server.close());

const t = `${Date.now()}000000`;
const kv = (key: string, value: unknown) => ({ key, value });
const attrs = [kv('s', { stringValue: 'v' }), kv('i', { intValue: '7' }), kv('d', { doubleValue: 1.5 }), kv('b', { boolValue: true }), kv('a', { arrayValue: { values: [{ stringValue: 'x' }] } })];
const ids = { traceId: '5b8efff798038103d269b633813fc60c', spanId: 'eee19b7ec3c1b174' };
const point = { timeUnixNano: t, startTimeUnixNano: t, attributes: attrs, exemplars: [{ timeUnixNano: t, asDouble: 2, ...ids }] };
const VALID = {
  logs: { resourceLogs: [{ resource: { attributes: attrs }, scopeLogs: [{ scope: { name: 's', version: '1' }, logRecords: [{ timeUnixNano: t, severityNumber: 9, severityText: 'INFO', body: { stringValue: 'hello' }, attributes: attrs, flags: 1, ...ids }] }] }] },
  traces: { resourceSpans: [{ resource: { attributes: attrs }, scopeSpans: [{ scope: { name: 's' }, spans: [{ ...ids, parentSpanId: 'aaaaaaaaaaaaaaaa', name: 'op', kind: 2, startTimeUnixNano: t, endTimeUnixNano: t, attributes: attrs, events: [{ timeUnixNano: t, name: 'e', attributes: attrs }], links: [{ ...ids, attributes: attrs }], status: { code: 2, message: 'boom' } }] }] }] },
  metrics: {
    resourceMetrics: [{ resource: { attributes: attrs }, scopeMetrics: [{ scope: { name: 's' }, metrics: [
      { name: 'g', gauge: { dataPoints: [{ ...point, asDouble: 1 }] } },
      { name: 's', sum: { aggregationTemporality: 2, isMonotonic: true, dataPoints: [{ ...point, asInt: '3' }] } },
      { name: 'h', histogram: { aggregationTemporality: 1, dataPoints: [{ ...point, count: '3', sum: 6, bucketCounts: ['1', '2'], explicitBounds: [5], min: 1, max: 3 }] } },
      { name: 'e', exponentialHistogram: { aggregationTemporality: 1, dataPoints: [{ ...point, count: '2', sum: 3, scale: 2, zeroCount: '0', positive: { offset: 1, bucketCounts: ['2'] } }] } },
      { name: 'q', summary: { dataPoints: [{ ...point, count: '2', sum: 3, quantileValues: [{ quantile: 0.5, value: 1 }] }] } },
    ] }] }],
  },
} as const;
type Signal = keyof typeof VALID;

/** The protobuf form of the valid JSON requests, through the same generated classes exporters use. */
const root = createRequire(import.meta.url)('@opentelemetry/otlp-transformer/build/src/generated/root.js');
const requestClass = { logs: root.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest, traces: root.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest, metrics: root.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest };
const hexToBytes = (v: unknown): unknown =>
  Array.isArray(v) ? v.map(hexToBytes) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, /Id$/.test(k) && typeof x === 'string' ? Buffer.from(x, 'hex') : hexToBytes(x)])) : v;
const protobufOf = (signal: Signal) => Buffer.from(requestClass[signal].encode(requestClass[signal].fromObject(hexToBytes(VALID[signal]))).finish());

function mutateJson(r: () => number, value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => mutateJson(r, v));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, r() < 0.15 ? arbitraryJson(r) : mutateJson(r, v)]));
  return r() < 0.2 ? arbitraryJson(r) : value;
}
function mutateBytes(r: () => number, bytes: Buffer): Buffer {
  const out = Buffer.from(bytes);
  const roll = r();
  if (roll < 0.2) return out.subarray(0, Math.floor(r() * out.length));
  for (let i = 1 + Math.floor(r() * 6); i > 0; i -= 1) out[Math.floor(r() * out.length)] = Math.floor(r() * 256);
  return out;
}

async function post(signal: Signal, body: Buffer | string, type: string) {
  const res = await fetch(`${server.url}/v1/${signal}`, { method: 'POST', headers: { 'content-type': type, authorization: `Bearer ${KEYS.shop.publicKey}` }, body });
  await res.arrayBuffer();
  return res.status;
}

describe(`OTLP intake fuzz (FUZZ_SEED=${seed})`, () => {
  it('answers every mutated request with 200 or a 4xx, and every stored row is one ClickHouse takes', async () => {
    const r = rng(seed);
    const statuses = new Map<number, number>();
    for (let i = 0; i < CASES; i++) {
      const signal = pick(r, ['logs', 'traces', 'metrics'] as const);
      const json = r() < 0.5;
      const body = json ? JSON.stringify(mutateJson(r, VALID[signal])) : mutateBytes(r, protobufOf(signal));
      const status = await post(signal, body, json ? 'application/json' : 'application/x-protobuf');
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      expect(status, `case ${i} (${signal}, ${json ? 'json' : 'protobuf'}): ${json ? body : (body as Buffer).toString('hex')}`).toBeLessThan(500);
    }
    await server.writer.flush();
    expect(server.writer.stats().lastError).toBeNull();
    // And the intake still stores a valid request of each signal afterwards.
    for (const signal of ['logs', 'traces', 'metrics'] as const) expect(await post(signal, protobufOf(signal), 'application/x-protobuf')).toBe(200);
    expect(statuses.get(200) ?? 0).toBeGreaterThan(0);
    expect(statuses.get(400) ?? 0).toBeGreaterThan(0);
  });
});
