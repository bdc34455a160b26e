/**
 * The ingest side of `npm run bench -- telemetry`, a process of its own (one embedded ClickHouse per
 * process): the embedded engine, the store's batched writer and the OTLP router, as `syntra start`
 * composes them, on a port; plus the floor (the same rows inserted straight into the same engine),
 * the seeding of 10 M log rows / 1 M spans and the timed queries. Driven over IPC by bench/telemetry.ts.
 */
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import Koa from 'koa';
import pino from 'pino';
import { type ClickHouse, migrateClickHouse, openClickHouse } from '../../backend/src/db/clickhouse/index.js';
import type { ResolvedClientKey } from '../../backend/src/modules/ingest/ports.js';
import { LogsQuerySchema } from '@syntra/shared';
import { BatchedTelemetryWriter, insertRows, otlpRouter, serializeRows, TelemetryQueryService } from '../../backend/src/modules/telemetry/index.js';
import { mapLogs } from '../../backend/src/modules/telemetry/otlp/map-logs.js';
import { decodeRequest } from '../../backend/src/modules/telemetry/otlp/otlp-decode.js';
import { BENCH, type EngineReply, type EngineRequest } from './protocol.js';

const [enginePath = '', portArg = '0'] = process.argv.slice(2);
const logger = pino({ level: 'warn' });
const key: ResolvedClientKey = { keyId: 'bench', publicKey: BENCH.publicKey, orgId: BENCH.orgId, projectId: BENCH.projectId, serviceId: BENCH.serviceId, projectRef: 1, revoked: false };

const ch: ClickHouse = await openClickHouse({ embeddedPath: enginePath, database: 'syntra' });
await migrateClickHouse(ch);
const writer = new BatchedTelemetryWriter(ch, logger);
const app = new Koa();
app.use(otlpRouter({ keys: { resolve: async (k) => (k === key.publicKey ? key : null) }, writer, serviceName: async () => 'bench', logger }).routes());
const server = app.listen(Number(portArg), '127.0.0.1');
await new Promise((resolve) => server.once('listening', resolve));

const count = async (table: string, serviceId: string) => {
  const rs = await ch.client.query({ query: `SELECT count() AS n FROM ${table} WHERE OrgId = {org:UUID} AND ServiceId = {svc:UUID}`, query_params: { org: BENCH.orgId, svc: serviceId }, format: 'JSONEachRow' });
  return Number(((await rs.json()) as Array<{ n: string }>)[0]!.n);
};

async function timed<T>(fn: () => Promise<T>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

/**
 * The same rows the OTLP path writes (decoded and mapped outside the clock), inserted as the writer
 * inserts them: its serialization and insert, its batch size, as many inserts at once as it runs.
 */
async function floor(requests: string[], records: number, batchRows: number, concurrency: number): Promise<{ records: number; ms: number }> {
  const source = { orgId: BENCH.orgId, projectId: BENCH.projectId, serviceId: BENCH.floorServiceId, serviceName: 'bench', retentionDays: 30 };
  const templates = requests.map((b64) => mapLogs(decodeRequest('logs', 'protobuf', Buffer.from(b64, 'base64')), source, 0n).rows);
  const rows = [];
  for (let i = 0; rows.length < records; i++) rows.push(...templates[i % templates.length]!);
  rows.length = records;
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next; i < rows.length; i = next) {
        next += batchRows;
        // The store writer's own serialization and insert, without the intake in front.
        const batch = serializeRows(rows.slice(i, i + batchRows));
        await insertRows(ch, 'otel_logs', batch.columns, batch.body);
      }
    }),
  );
  return { records, ms: performance.now() - t0 };
}

/** Log rows generated inside the engine: services round-robin, evenly over `hours` ending now. */
async function seedLogs(rows: number, services: string[], hours: number) {
  const endNs = BigInt(Date.now()) * 1_000_000n;
  const spanNs = BigInt(hours) * 3_600_000_000_000n;
  const chunk = 1_000_000;
  for (let offset = 0; offset < rows; offset += chunk) {
    const n = Math.min(chunk, rows - offset);
    await ch.client.command({
      query: `
        INSERT INTO otel_logs (OrgId, ProjectId, ServiceId, Timestamp, TraceId, SpanId, TraceFlags, SeverityText, SeverityNumber,
                               ServiceName, Body, ResourceAttributes, ScopeName, LogAttributes)
        SELECT {org:UUID}, {proj:UUID}, {services:Array(UUID)}[(n % length({services:Array(UUID)})) + 1],
               fromUnixTimestamp64Nano(toInt64({start:UInt64} + n * {step:UInt64})),
               lower(hex(MD5(toString(intDiv(n, 4))))), substring(lower(hex(MD5(toString(n)))), 1, 16), 1,
               if(n % 50 = 0, 'ERROR', 'INFO'), if(n % 50 = 0, 17, 9), 'bench',
               concat(['GET', 'POST', 'PUT', 'DELETE'][n % 4 + 1], ' /api/', {words:Array(String)}[(intDiv(n, 7) % length({words:Array(String)})) + 1],
                      '/', toString(n % 100000), ' user=', toString(n % 5000), ' took ', toString(n % 997), 'ms', if(n % 1000 = 7, ' upstream timeout', '')),
               map('host.name', concat('web-', toString(n % 8)), 'telemetry.sdk.language', 'nodejs'), 'bench',
               map('http.status_code', toString([200, 200, 200, 404, 500][n % 5 + 1]), 'user.id', toString(n % 5000))
        FROM (SELECT number + {offset:UInt64} AS n FROM numbers({rows:UInt64}))`,
      query_params: { org: BENCH.orgId, proj: BENCH.projectId, services, start: (endNs - spanNs).toString(), step: (spanNs / BigInt(rows)).toString(), words: BENCH.words, offset, rows: n },
    });
  }
}

/** Spans generated inside the engine: traces of 10 spans (a root and 9 children), evenly over `hours`. */
async function seedSpans(rows: number, hours: number) {
  const endNs = BigInt(Date.now()) * 1_000_000n;
  const spanNs = BigInt(hours) * 3_600_000_000_000n;
  await ch.client.command({
    query: `
      INSERT INTO otel_traces (OrgId, ProjectId, ServiceId, Timestamp, TraceId, SpanId, ParentSpanId, SpanName, SpanKind, ServiceName,
                               SpanAttributes, Duration, StatusCode)
      SELECT {org:UUID}, {proj:UUID}, {svc:UUID},
             fromUnixTimestamp64Nano(toInt64({start:UInt64} + intDiv(n, 10) * 10 * {step:UInt64} + (n % 10) * 1000000)),
             lower(hex(MD5(concat('t', toString(intDiv(n, 10)))))), substring(lower(hex(MD5(concat('s', toString(n))))), 1, 16),
             if(n % 10 = 0, '', substring(lower(hex(MD5(concat('s', toString(n - n % 10))))), 1, 16)),
             if(n % 10 = 0, 'GET /api/orders', ['SELECT orders', 'redis GET', 'http POST /charge'][n % 3 + 1]),
             if(n % 10 = 0, 'Server', 'Client'), 'bench', map('http.route', '/api/orders'),
             (n % 10 = 0) * 50000000 + (n % 97) * 100000, if(n % 200 = 3, 'Error', 'Unset')
      FROM (SELECT number AS n FROM numbers({rows:UInt64}))`,
    query_params: { org: BENCH.orgId, proj: BENCH.projectId, svc: BENCH.serviceId, start: (endNs - spanNs).toString(), step: (spanNs / BigInt(rows)).toString(), rows },
  });
}

/**
 * Waits until the engine runs no background merge (or `maxMs` passed): a seed writes hours of data
 * in seconds, and the merges that burst leaves behind would otherwise compete with the timed
 * queries for the 2 cores — a store of history queried later has merged it long ago.
 */
async function settle(maxMs: number) {
  const deadline = Date.now() + maxMs;
  while (Date.now() < deadline) {
    const res = await ch.client.query({ query: 'SELECT count() AS n FROM system.merges', format: 'JSONEachRow' });
    const [row] = await res.json<{ n: string }>();
    if (Number(row?.n ?? 0) === 0) return;
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The query API's own functions (observe's TelemetryQueryService), with its row/byte/time limits. */
const query = new TelemetryQueryService({ clickhouse: ch.client, serviceInOrg: async () => undefined, deployMarkers: async () => [] });

/** Log search as GET /api/v1/logs runs it: service + window + a word, newest first, one page of 100. */
async function searchLogs(serviceId: string, fromMs: number, toMs: number, word: string) {
  const q = LogsQuerySchema.parse({ service_id: serviceId, from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString(), q: word, limit: 100 });
  return (await query.logs(BENCH.orgId, q)).items.length;
}

/** Trace by id as GET /api/v1/traces/:traceId runs it. */
async function traceById(traceId: string) {
  return (await query.trace(BENCH.orgId, traceId)).spans.length;
}

async function handle(req: EngineRequest): Promise<unknown> {
  switch (req.op) {
    case 'count':
      return count(req.table, req.serviceId);
    case 'flush':
      return writer.flush();
    case 'floor':
      return floor(req.requests, req.records, req.batchRows, req.concurrency);
    case 'seedLogs':
      return timed(() => seedLogs(req.rows, req.services, req.hours));
    case 'seedSpans':
      return timed(() => seedSpans(req.rows, req.hours));
    case 'settle':
      return timed(() => settle(req.maxMs));
    case 'searchLogs': {
      const ms: number[] = [];
      let hits = 0;
      // Warm-up (not timed): the first statements load marks and indexes a running server holds already.
      for (const q of req.queries.slice(0, 3)) await searchLogs(q.serviceId, q.fromMs, q.toMs, q.word);
      for (const q of req.queries) {
        const t0 = performance.now();
        hits += await searchLogs(q.serviceId, q.fromMs, q.toMs, q.word);
        ms.push(performance.now() - t0);
      }
      return { ms, hits };
    }
    case 'traceById': {
      const ms: number[] = [];
      let spans = 0;
      for (const id of req.traceIds.slice(0, 3)) await traceById(id);
      for (const id of req.traceIds) {
        const t0 = performance.now();
        spans += await traceById(id);
        ms.push(performance.now() - t0);
      }
      return { ms, spans };
    }
    case 'traceIds': {
      const rs = await ch.client.query({ query: `SELECT lower(hex(MD5(concat('t', toString(number * 7919 % {traces:UInt64}))))) AS id FROM numbers({n:UInt64})`, query_params: { traces: req.traces, n: req.n }, format: 'JSONEachRow' });
      return ((await rs.json()) as Array<{ id: string }>).map((r) => r.id);
    }
    case 'stats':
      return writer.stats();
  }
}

process.on('message', (msg: EngineRequest & { id: number }) => {
  handle(msg).then(
    (result) => process.send!({ id: msg.id, ok: true, result } satisfies EngineReply),
    (err: Error) => process.send!({ id: msg.id, ok: false, error: err.stack ?? String(err) } satisfies EngineReply),
  );
});
process.on('disconnect', () => process.exit(0));
// A clean exit on the bench's SIGTERM, so --cpu-prof (BENCH_CPU_PROF) gets to write its profile.
process.on('SIGTERM', () => process.exit(0));
process.send!({ id: 0, ok: true, result: { port: (server.address() as AddressInfo).port } } satisfies EngineReply);
