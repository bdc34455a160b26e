/**
 * `npm run bench -- agents`: one `syntra api` process (embedded PostgreSQL and Redis started here),
 * and a separate simulator process (bench/agents-sim.ts) holding N agent sockets that say hello,
 * heartbeat every 15 s and answer commands. For each N in BENCH_AGENTS (default 2000,5000,10000):
 * ramp up, let every agent heartbeat once, then measure for BENCH_WINDOW seconds (default 30):
 *  - held: every agent online, no socket lost, every heartbeat answered (pong) within 2 s;
 *  - the api process's CPU (cores, from /proc/<pid>/stat) and RSS (current and peak);
 *  - command round trip through the REST API (POST /servers/:id/commands → agent → answer), p50/p99.
 * Goal: 10,000 agents at < 1 core and < 1.5 GB RSS, p99 < 50 ms.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createDb } from '../backend/src/db/knex.js';
import { startEmbeddedPostgres } from '../backend/src/embedded/postgres.js';
import { startEmbeddedRedis } from '../backend/src/embedded/redis.js';
import { createLogger } from '../backend/src/logger.js';
import { waitFor } from '../test-support/wait.js';
import { CONTROL_PLANE_NODE_FLAGS, freePort, percentile, root, sleep } from './support.js';

const LEVELS = (process.env.BENCH_AGENTS ?? '2000,5000,10000').split(',').map(Number);
const WINDOW_S = Number(process.env.BENCH_WINDOW ?? 30);
const RAMP_PER_S = Number(process.env.BENCH_RAMP ?? 500);
const COMMANDS_PER_S = Number(process.env.BENCH_COMMANDS_PER_S ?? 10);
const TICKS = 100; // USER_HZ

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'syntra-bench-agents-'));
fs.chmodSync(tmp, 0o755);
const children: ChildProcess[] = [];
const logger = createLogger('warn');

function cpuTicks(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime + stime
}
function memMb(pid: number): { rss: number; peak: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
  return { rss: Math.round(kb('VmRSS') / 1024), peak: Math.round(kb('VmHWM') / 1024) };
}

type SimStats = { connecting: number; acked: number; closed: number; heartbeats: number; pongs: number; commands: number; errors: number; rss_mb: number };

async function main() {
  console.log(`syntra bench agents: levels ${LEVELS.join(', ')}, ${WINDOW_S} s window, ramp ${RAMP_PER_S}/s, ${COMMANDS_PER_S} commands/s`);
  const pg = await startEmbeddedPostgres(path.join(tmp, 'postgres'), logger);
  const redis = await startEmbeddedRedis(path.join(tmp, 'redis'), { persist: false, logger });
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const api = spawn(process.execPath, [...CONTROL_PLANE_NODE_FLAGS, '--import', 'tsx', path.join(root, 'backend/src/cli.ts'), 'api'], {
    cwd: root,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: url, DATABASE_URL: pg.url, REDIS_URL: redis.url, SYNTRA_DATA_DIR: path.join(tmp, 'data'), LOG_LEVEL: 'warn', SYNTRA_LOGIN_LIMIT_PER_IP: '100000', SYNTRA_SIGNUP: 'open', SYNTRA_REGISTER_LIMIT_PER_IP: '100000' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.push(api);
  const db = createDb(pg.url, { min: 0, max: 2 });
  try {
    await waitFor('api ready', () => fetch(`${url}/readyz`).then((r) => r.ok).catch(() => false), 60_000, 200);
    const reg = await (await fetch(`${url}/api/v1/auth/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'bench@example.test', password: 'correct horse battery', name: 'Bench' }) })).json() as any;
    const token = reg.data.token as string;
    const orgId = reg.data.org.id as string;

    // Servers are registered in bulk in the database (the REST route is not what is measured here).
    const max = Math.max(...LEVELS);
    const agentTokens = Array.from({ length: max }, () => `syn_agent_${randomBytes(32).toString('base64url')}`);
    const serverIds: string[] = [];
    for (let i = 0; i < max; i += 1000) {
      const rows = agentTokens.slice(i, i + 1000).map((t, j) => ({ org_id: orgId, name: `sim-${i + j}`, agent_token_hash: createHash('sha256').update(t).digest('hex'), runtime: 'process' }));
      serverIds.push(...((await db('servers').insert(rows).returning('id')) as Array<{ id: string }>).map((r) => r.id));
    }

    const sim = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'bench/agents-sim.ts'), url], { cwd: root, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    children.push(sim);
    const messages: any[] = [];
    sim.on('message', (m) => messages.push(m));
    await waitFor('simulator ready', () => messages.some((m) => m.kind === 'ready'), 30_000, 200);
    const simStats = async (): Promise<SimStats> => {
      const before = messages.length;
      sim.send({ kind: 'stats' });
      const m = await waitFor('sim stats', () => messages.slice(before).find((x) => x.kind === 'stats'), 10_000, 200);
      return m.stats;
    };

    const results: Array<Record<string, string | number | boolean>> = [];
    let connected = 0;
    for (const level of LEVELS) {
      const t0 = Date.now();
      const previous = connected;
      const ramped = messages.length;
      sim.send({ kind: 'ramp', tokens: agentTokens.slice(connected, level), offset: connected, perSecond: RAMP_PER_S });
      await waitFor('ramp sent', () => messages.slice(ramped).some((m) => m.kind === 'ramped'), 600_000, 200);
      await waitFor(`${level} hello_acks`, async () => (await simStats()).acked >= level, Math.max(120_000, level * 30), 200).catch(async (err: Error) => {
        throw new Error(`${err.message} (simulator: ${JSON.stringify(await simStats())})`);
      });
      const rampSeconds = (Date.now() - t0) / 1000;
      connected = level;
      console.log(`\n${level} agents connected in ${((Date.now() - t0) / 1000).toFixed(1)} s; letting every agent heartbeat once…`);
      await sleep(16_000);

      const s0 = await simStats();
      const c0 = cpuTicks(api.pid!);
      const w0 = performance.now();
      const rtts: number[] = [];
      let commandFailures = 0;
      const deadline = Date.now() + WINDOW_S * 1000;
      const loops = Array.from({ length: 2 }, async () => {
        while (Date.now() < deadline) {
          const id = serverIds[Math.floor(Math.random() * level)]!;
          const start = performance.now();
          const res = await fetch(`${url}/api/v1/servers/${id}/commands`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ name: 'host.info', wait_ms: 5000 }) });
          const body = (await res.json()) as any;
          if (body.data?.status === 'answered') rtts.push(performance.now() - start);
          else commandFailures += 1;
          await sleep(2000 / COMMANDS_PER_S);
        }
      });
      await Promise.all(loops);
      const elapsed = (performance.now() - w0) / 1000;
      // Baseline: the same REST path (auth, org lookup, server read) without the agent hop.
      const gets: number[] = [];
      for (let i = 0; i < 50; i += 1) {
        const start = performance.now();
        await (await fetch(`${url}/api/v1/servers/${serverIds[i % level]}`, { headers: { authorization: `Bearer ${token}` } })).json();
        gets.push(performance.now() - start);
      }
      const health: number[] = [];
      const me: number[] = [];
      for (let i = 0; i < 50; i += 1) {
        let start = performance.now();
        await (await fetch(`${url}/healthz`)).json();
        health.push(performance.now() - start);
        start = performance.now();
        await (await fetch(`${url}/api/v1/auth/me`, { headers: { authorization: `Bearer ${token}` } })).json();
        me.push(performance.now() - start);
      }
      const cores = (cpuTicks(api.pid!) - c0) / TICKS / elapsed;
      const s1 = await simStats();
      await sleep(2000);
      const s2 = await simStats();
      const mem = memMb(api.pid!);
      const online = Number((await db('servers').where({ status: 'online' }).count<{ count: string }[]>('* as count'))[0]!.count);
      const sent = s1.heartbeats - s0.heartbeats;
      const unanswered = Math.max(0, s1.heartbeats - s2.pongs);
      const held = online === level && s2.closed === 0 && unanswered === 0 && commandFailures === 0;
      const row = {
        agents: level,
        held,
        ramp_hellos_per_s: Math.round((level - previous) / rampSeconds),
        online,
        heartbeats_per_s: Math.round(sent / elapsed),
        unanswered_heartbeats: unanswered,
        sockets_lost: s2.closed,
        api_cpu_cores: Number(cores.toFixed(3)),
        api_rss_mb: mem.rss,
        api_peak_rss_mb: mem.peak,
        commands: rtts.length,
        command_failures: commandFailures,
        rtt_p50_ms: Number(percentile(rtts, 50).toFixed(1)),
        rtt_p99_ms: Number(percentile(rtts, 99).toFixed(1)),
        rest_get_p50_ms: Number(percentile(gets, 50).toFixed(1)),
        healthz_p50_ms: Number(percentile(health, 50).toFixed(1)),
        me_p50_ms: Number(percentile(me, 50).toFixed(1)),
        sim_rss_mb: s2.rss_mb,
      };
      results.push(row);
      console.log(row);
      if (!held) break;
    }

    const best = [...results].reverse().find((r) => r.held);
    console.log('\n=== syntra bench agents ===');
    console.table(results);
    if (best) {
      console.log(`Largest N held: ${best.agents} agents (heartbeat every 15 s), api ${best.api_cpu_cores} cores, RSS ${best.api_rss_mb} MB (peak ${best.api_peak_rss_mb} MB), command round trip p50 ${best.rtt_p50_ms} ms / p99 ${best.rtt_p99_ms} ms.`);
      const goal = (ok: boolean) => (ok ? 'meets' : 'MISSES');
      console.log(`Goal 10,000 agents: ${goal(Number(best.agents) >= 10_000)}; < 1 core: ${goal(Number(best.api_cpu_cores) < 1)}; < 1.5 GB RSS: ${goal(Number(best.api_peak_rss_mb) < 1536)}; p99 < 50 ms: ${goal(Number(best.rtt_p99_ms) < 50)}.`);
    } else console.log('No level was held.');
    console.log(`(machine: ${os.cpus().length} cores ${os.cpus()[0]?.model ?? ''}, ${Math.round(os.totalmem() / 1e9)} GB; the simulator and PostgreSQL share it)`);
    sim.send({ kind: 'stop' });
  } finally {
    await db.destroy();
    for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
    await sleep(1000);
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    await redis.stop();
    await pg.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  process.exit(1);
});
