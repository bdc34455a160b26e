/**
 * `npm run bench -- telemetry` (issue 13):
 *  - OTLP log records/s ingested and queryable: protobuf requests of 1,000 records shaped like the
 *    OpenTelemetry exporters' (resource + scope + records with trace context and attributes), over
 *    keep-alive HTTP to the OTLP router → batched writer → embedded ClickHouse, acknowledged after the
 *    write; then the rows are counted. Beside it, the floor: the same rows inserted straight into the
 *    same engine in the same run (the writer's format, JSONCompactEachRow, batch size and concurrent inserts). Goal ≥ 50,000/s, ≥ 0.5× floor.
 *  - Over BENCH_LOG_ROWS (10 M) log rows: search by service + 15 min + a word, p50/p95 (goal p95 < 200 ms).
 *  - Trace by id among BENCH_SPANS (1 M) spans, p50/p95 (goal p95 < 50 ms).
 *  - Peak RSS of the ingest process during the ingest run; idle RSS and idle CPU of the whole `npm start` stack.
 * Knobs for a quick run: BENCH_OTLP_RECORDS (1,000,000), BENCH_OTLP_CONCURRENCY (32), BENCH_FLOOR_RECORDS
 * (= the OTLP records), BENCH_LOG_ROWS (10,000,000), BENCH_SPANS (1,000,000), BENCH_QUERIES (100),
 * BENCH_IDLE_SECONDS (20), BENCH_IDLE_CPU_AFTER_SECONDS (60: idle CPU is taken over the 10 s from then), BENCH_SKIP_START=1 (no `npm start` RSS), BENCH_SETTLE_SECONDS (120: the most the
 * timed queries wait for the background merges a seed leaves behind).
 */
import { type ChildProcess, fork, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { BENCH, type EngineReply, type EngineRequest } from './telemetry-engine/protocol.js';
import { DEFAULT_WRITER_OPTIONS } from '../backend/src/modules/telemetry/store/index.js';
import { CONTROL_PLANE_NODE_FLAGS, cpuSecondsByThreadName, freePort, percentile, root, sleep } from './support.js';

const num = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const RECORDS = num('BENCH_OTLP_RECORDS', 1_000_000);
const CONCURRENCY = num('BENCH_OTLP_CONCURRENCY', 32);
const FLOOR_RECORDS = num('BENCH_FLOOR_RECORDS', RECORDS);
const LOG_ROWS = num('BENCH_LOG_ROWS', 10_000_000);
const SPANS = num('BENCH_SPANS', 1_000_000);
const QUERIES = num('BENCH_QUERIES', 100);
/** How long the timed queries wait, at most, for the merges a seed leaves behind (BENCH_SETTLE_SECONDS). */
const SETTLE_MAX_MS = num('BENCH_SETTLE_SECONDS', 120) * 1000;
const IDLE_SECONDS = num('BENCH_IDLE_SECONDS', 20);
const PER_REQUEST = 1000;
const TEMPLATES = 16;
const SEARCH_SERVICES = 20;
const SEED_HOURS = 24;

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'syntra-bench-telemetry-'));
fs.chmodSync(tmp, 0o755);
const children: ChildProcess[] = [];

// ---- process memory ----------------------------------------------------------------------------
function statusKb(pid: number, field: string): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
}
/** CPU seconds a process has used so far, all its threads (the engine's included): user + system. */
function cpuSeconds(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
}
/** PIDs of a process and everything under it. */
function tree(rootPid: number): number[] {
  const parents = new Map<number, number>();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      parents.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      /* gone meanwhile */
    }
  }
  const inTree = new Set([rootPid]);
  for (let size = 0; size !== inTree.size; ) {
    size = inTree.size;
    for (const [pid, ppid] of parents) if (inTree.has(ppid)) inTree.add(pid);
  }
  return [...inTree];
}
/** Resident memory of a process tree in MB: summed RSS, and summed PSS (shared pages split among their users). */
function treeMemoryMb(rootPid: number): { rss: number; pss: number; processes: number } {
  let rss = 0;
  let pss = 0;
  const pids = tree(rootPid);
  for (const pid of pids) {
    try {
      rss += statusKb(pid, 'VmRSS');
      pss += Number(/Pss:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1] ?? 0);
    } catch {
      /* gone meanwhile */
    }
  }
  return { rss: Math.round(rss / 1024), pss: Math.round(pss / 1024), processes: pids.length };
}

// ---- the engine process --------------------------------------------------------------------------
interface Engine {
  pid: number;
  port: number;
  call<T>(req: EngineRequest): Promise<T>;
}
async function startEngine(): Promise<Engine> {
  const child = fork(path.join(root, 'bench/telemetry-engine/engine.ts'), [path.join(tmp, 'clickhouse'), '0'], {
    // BENCH_CPU_PROF=<dir>: a V8 CPU profile of the ingest process (where an insert's time goes).
    execArgv: [...CONTROL_PLANE_NODE_FLAGS, '--import', 'tsx', ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [])],
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  children.push(child);
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  let nextId = 1;
  const ready = new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`engine process exited (${code})`)));
    child.on('message', (msg: EngineReply) => {
      if (msg.id === 0 && msg.ok) return resolve((msg.result as { port: number }).port);
      const p = pending.get(msg.id);
      pending.delete(msg.id);
      if (msg.ok) p?.resolve(msg.result);
      else p?.reject(new Error(msg.error));
    });
  });
  const port = await ready;
  return {
    pid: child.pid!,
    port,
    call: <T>(req: EngineRequest) =>
      new Promise<T>((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        child.send({ ...req, id });
      }),
  };
}

// ---- OTLP requests shaped like the exporters' ----------------------------------------------------------
interface MessageClass {
  encode(m: unknown): { finish(): Uint8Array };
}
const generated = createRequire(import.meta.url)('@opentelemetry/otlp-transformer/build/src/generated/root.js') as {
  opentelemetry: { proto: { collector: { logs: { v1: { ExportLogsServiceRequest: MessageClass } } } } };
};
const str = (stringValue: string) => ({ stringValue });
const ROUTES = ['/api/orders', '/api/checkout', '/api/users/:id', '/api/search', '/healthz'];

/** One ExportLogsServiceRequest of 1,000 records as @opentelemetry/sdk-logs + exporter-logs-otlp-proto send it. */
function logsRequest(seed: number): Buffer {
  const nowNs = BigInt(Date.now()) * 1_000_000n;
  const logRecords = Array.from({ length: PER_REQUEST }, (_, i) => {
    const n = seed * PER_REQUEST + i;
    const t = (nowNs + BigInt(i) * 1000n).toString();
    const route = ROUTES[n % ROUTES.length]!;
    return {
      timeUnixNano: t,
      observedTimeUnixNano: t,
      severityNumber: n % 50 === 0 ? 17 : 9,
      severityText: n % 50 === 0 ? 'ERROR' : 'INFO',
      body: str(`request completed: GET ${route} status=${n % 50 === 0 ? 500 : 200} duration=${(n % 997) + 1}ms user=${n % 5000} request_id=${randomBytes(8).toString('hex')}`),
      attributes: [
        { key: 'http.request.method', value: str('GET') },
        { key: 'http.route', value: str(route) },
        { key: 'http.response.status_code', value: { intValue: n % 50 === 0 ? 500 : 200 } },
        { key: 'user.id', value: str(String(n % 5000)) },
      ],
      droppedAttributesCount: 0,
      flags: 1,
      traceId: randomBytes(16),
      spanId: randomBytes(8),
    };
  });
  const request = {
    resourceLogs: [
      {
        resource: {
          attributes: [
            { key: 'service.name', value: str('checkout-api') },
            { key: 'service.version', value: str('1.8.2') },
            { key: 'telemetry.sdk.language', value: str('nodejs') },
            { key: 'telemetry.sdk.name', value: str('opentelemetry') },
            { key: 'telemetry.sdk.version', value: str('2.12.1') },
            { key: 'host.name', value: str('web-1') },
            { key: 'process.pid', value: { intValue: 4242 } },
          ],
          droppedAttributesCount: 0,
        },
        scopeLogs: [{ scope: { name: 'checkout', version: '1.8.2' }, logRecords }],
      },
    ],
  };
  return Buffer.from(generated.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest.encode(request).finish());
}

function post(agent: http.Agent, port: number, body: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, path: '/v1/logs', method: 'POST', agent, headers: { 'content-type': 'application/x-protobuf', 'content-length': body.length, authorization: `Bearer ${BENCH.publicKey}` } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const ms = (n: number) => `${n.toFixed(1)} ms`;

async function ingest(engine: Engine, requests: Buffer[]) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  for (let i = 0; i < 4; i++) await post(agent, engine.port, requests[i % requests.length]!); // warm-up
  await engine.call({ op: 'flush' });
  const before = await engine.call<number>({ op: 'count', table: 'otel_logs', serviceId: BENCH.serviceId });
  const total = Math.ceil(RECORDS / PER_REQUEST);
  let sent = 0;
  let retried = 0;
  let peakMb = 0;
  const sampler = setInterval(() => (peakMb = Math.max(peakMb, statusKb(engine.pid, 'VmRSS') / 1024)), 100);
  const cpu0 = cpuSeconds(engine.pid);
  const threads0 = cpuSecondsByThreadName(engine.pid);
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (sent < total) {
        const body = requests[sent++ % requests.length]!;
        for (;;) {
          const status = await post(agent, engine.port, body);
          if (status === 200) break;
          if (status !== 429 && status !== 503) throw new Error(`OTLP answered ${status}`);
          retried += 1; // the store said it lags: back off as an exporter does
          await sleep(200);
        }
      }
    }),
  );
  const ackedMs = performance.now() - t0;
  const stored = (await engine.call<number>({ op: 'count', table: 'otel_logs', serviceId: BENCH.serviceId })) - before;
  const queryableMs = performance.now() - t0;
  const cpu = cpuSeconds(engine.pid) - cpu0;
  const threads = [...cpuSecondsByThreadName(engine.pid)].map(([name, sec]) => [name, sec - (threads0.get(name) ?? 0)] as const).filter(([, sec]) => sec >= 0.05).sort((a, b) => b[1] - a[1]);
  clearInterval(sampler);
  agent.destroy();
  peakMb = Math.max(peakMb, statusKb(engine.pid, 'VmHWM') / 1024);
  return { records: total * PER_REQUEST, stored, ackedMs, queryableMs, retried, peakMb, cpu, threads };
}

/** CPU seconds of every process in a tree, by process name (`comm`). */
function treeCpuByName(rootPid: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const pid of tree(rootPid)) {
    try {
      const name = fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
      out.set(name, (out.get(name) ?? 0) + cpuSeconds(pid));
    } catch {
      /* gone meanwhile */
    }
  }
  return out;
}

interface IdleStack {
  rss: number;
  pss: number;
  processes: number;
  /** Share of one core the idle stack used over IDLE_CPU_SECONDS, whole and by process name. */
  cpuPercent: number;
  cpuByName: Array<[string, number]>;
}

const IDLE_CPU_SECONDS = 10;
/** Idle CPU is taken once start-up work (migrations, the first alert catch-up, ClickHouse's first merges) is over. */
const IDLE_CPU_AFTER_SECONDS = num('BENCH_IDLE_CPU_AFTER_SECONDS', 60);

async function measureStartIdle(): Promise<IdleStack | string> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const start = spawn(process.execPath, [...CONTROL_PLANE_NODE_FLAGS, path.join(root, 'scripts/start.mjs')], {
    cwd: root,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: url, SYNTRA_DATA_DIR: path.join(tmp, 'syntra'), SYNTRA_LOCAL_AGENT: 'false', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.push(start);
  for (const deadline = Date.now() + 180_000; !(await fetch(`${url}/readyz`).then((r) => r.ok).catch(() => false)); ) {
    if (Date.now() > deadline || start.exitCode !== null) return '`npm start` did not become ready';
    await sleep(250);
  }
  await sleep(IDLE_SECONDS * 1000);
  const memory = treeMemoryMb(start.pid!);
  await sleep(Math.max(0, IDLE_CPU_AFTER_SECONDS - IDLE_SECONDS) * 1000);
  const before = treeCpuByName(start.pid!);
  await sleep(IDLE_CPU_SECONDS * 1000);
  const after = treeCpuByName(start.pid!);
  const cpuByName = [...after].map(([name, sec]) => [name, ((sec - (before.get(name) ?? 0)) / IDLE_CPU_SECONDS) * 100] as [string, number]).filter(([, pct]) => pct >= 0.05).sort((a, b) => b[1] - a[1]);
  const cpuPercent = cpuByName.reduce((sum, [, pct]) => sum + pct, 0);
  start.kill('SIGTERM');
  await new Promise((resolve) => start.once('exit', resolve));
  return { ...memory, cpuPercent, cpuByName };
}

async function main() {
  console.log(`telemetry bench: ${fmt(RECORDS)} OTLP records (${CONCURRENCY} concurrent requests of ${PER_REQUEST}), floor ${fmt(FLOOR_RECORDS)}, ${fmt(LOG_ROWS)} log rows, ${fmt(SPANS)} spans, ${os.cpus().length} cores\n`);
  const engine = await startEngine();
  const requests = Array.from({ length: TEMPLATES }, (_, i) => logsRequest(i));
  console.log(`request size: ${fmt(requests[0]!.length / 1024)} KiB protobuf per ${PER_REQUEST} records`);

  // ---- ingest vs floor ----
  const run = await ingest(engine, requests);
  const rate = run.records / (run.queryableMs / 1000);
  console.log(`\nOTLP ingest: ${fmt(run.records)} records acknowledged in ${ms(run.ackedMs)}, ${fmt(run.stored)} counted in ClickHouse after ${ms(run.queryableMs)}`);
  console.log(`  → ${fmt(rate)} records/s ingested and queryable (goal ≥ 50,000)${run.retried ? `; ${run.retried} requests answered 429/503 and retried` : ''}`);
  if (run.stored !== run.records) console.log(`  ! ${fmt(run.records - run.stored)} records missing`);
  // The machine is shared: CPU seconds per record are what the path costs whatever else runs beside it.
  console.log(`  CPU of the ingest process (router, writer and engine threads): ${(run.cpu / (run.records / 1000) * 1000).toFixed(1)} ms per 1,000 records (${fmt(run.records / run.cpu)} records per CPU second; it got ${(run.cpu / (run.queryableMs / 1000)).toFixed(2)} of the ${os.cpus().length} cores)`);
  console.log(`  peak RSS of the ingest process (engine + writer + router): ${fmt(run.peakMb)} MB`);
  console.log(`  by thread (CPU s; JS: router and writer, node: libuv's pool (engine queries and inserts) and V8's workers, ThreadPool: the engine's query threads, MergeMutate: background merges): ${run.threads.map(([name, sec]) => `${name} ${sec.toFixed(2)}`).join(', ')}`);
  const floorCpu0 = cpuSeconds(engine.pid);
  const floor = await engine.call<{ records: number; ms: number }>({ op: 'floor', requests: requests.map((b) => b.toString('base64')), records: FLOOR_RECORDS, batchRows: DEFAULT_WRITER_OPTIONS.maxBatchRows, concurrency: DEFAULT_WRITER_OPTIONS.maxConcurrentInserts ?? 2 });
  const floorCpu = cpuSeconds(engine.pid) - floorCpu0; // includes mapping the templates, outside the clock
  const floorRate = floor.records / (floor.ms / 1000);
  console.log(`floor: the same rows straight into the same engine (the writer's JSONCompactEachRow, ${fmt(DEFAULT_WRITER_OPTIONS.maxBatchRows)}-row inserts, ${DEFAULT_WRITER_OPTIONS.maxConcurrentInserts ?? 2} at a time): ${fmt(floorRate)} records/s`);
  console.log(`  CPU: ${(floorCpu / (floor.records / 1000) * 1000).toFixed(1)} ms per 1,000 records`);
  console.log(`  → OTLP / floor = ${(rate / floorRate).toFixed(2)}× (goal ≥ 0.5×)`);

  // ---- search over LOG_ROWS ----
  const services = Array.from({ length: SEARCH_SERVICES }, (_, i) => `4e000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
  const seedMs = await engine.call<number>({ op: 'seedLogs', rows: LOG_ROWS, services, hours: SEED_HOURS });
  const settledMs = await engine.call<number>({ op: 'settle', maxMs: SETTLE_MAX_MS });
  console.log(`\nseeded ${fmt(LOG_ROWS)} log rows (${SEARCH_SERVICES} services over ${SEED_HOURS} h) in ${ms(seedMs)}; the seed's background merges settled ${ms(settledMs)} later`);
  const now = Date.now();
  const queries = Array.from({ length: QUERIES }, (_, i) => {
    const toMs = now - Math.floor(((i * 7919) % 1000) / 1000 * (SEED_HOURS - 0.25) * 3_600_000);
    return { serviceId: services[i % services.length]!, fromMs: toMs - 15 * 60_000, toMs, word: i % 2 ? 'timeout' : BENCH.words[i % BENCH.words.length]! };
  });
  const search = await engine.call<{ ms: number[]; hits: number }>({ op: 'searchLogs', queries });
  console.log(`log search, service + 15 min + a word (${QUERIES} queries, ${fmt(search.hits)} rows returned; the query API's TelemetryQueryService.logs):`);
  console.log(`  p50 ${ms(percentile(search.ms, 50))}, p95 ${ms(percentile(search.ms, 95))} (goal p95 < 200 ms)`);

  // ---- trace by id among SPANS ----
  const spanSeedMs = await engine.call<number>({ op: 'seedSpans', rows: SPANS, hours: SEED_HOURS });
  const spansSettledMs = await engine.call<number>({ op: 'settle', maxMs: SETTLE_MAX_MS });
  console.log(`\nseeded ${fmt(SPANS)} spans (${fmt(SPANS / 10)} traces of 10) in ${ms(spanSeedMs)}; its background merges settled ${ms(spansSettledMs)} later`);
  const traceIds = await engine.call<string[]>({ op: 'traceIds', traces: SPANS / 10, n: QUERIES });
  const lookups = await engine.call<{ ms: number[]; spans: number }>({ op: 'traceById', traceIds });
  console.log(`trace by id (${QUERIES} lookups, ${fmt(lookups.spans)} spans returned; the query API's TelemetryQueryService.trace):`);
  console.log(`  p50 ${ms(percentile(lookups.ms, 50))}, p95 ${ms(percentile(lookups.ms, 95))} (goal p95 < 50 ms)`);
  for (const c of children.splice(0)) c.kill('SIGTERM');
  await sleep(500);

  // ---- idle npm start ----
  if (process.env.BENCH_SKIP_START !== '1') {
    const idle = await measureStartIdle();
    if (typeof idle === 'string') console.log(`\nidle \`npm start\`: ${idle}`);
    else {
      console.log(`\nidle \`npm start\` stack after ${IDLE_SECONDS} s (${idle.processes} processes): RSS ${fmt(idle.rss)} MB summed, PSS ${fmt(idle.pss)} MB (goal ≤ 600 MB)`);
      console.log(`  idle CPU, ${IDLE_CPU_AFTER_SECONDS}–${IDLE_CPU_AFTER_SECONDS + IDLE_CPU_SECONDS} s after ready: ${idle.cpuPercent.toFixed(1)} % of one core (${idle.cpuByName.map(([name, pct]) => `${name} ${pct.toFixed(1)} %`).join(', ')})`);
    }
  }
}

try {
  await main();
} catch (err) {
  console.error(err);
  process.exitCode = 1;
} finally {
  for (const c of children) c.kill('SIGTERM');
  await sleep(300);
  fs.rmSync(tmp, { recursive: true, force: true });
}
