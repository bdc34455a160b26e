/**
 * `npm run bench -- terminal`: Syntra's terminal (console socket → backend → agent → pty) against
 * OpenSSH on loopback, in the same run on the same machine:
 *  - keystroke echo round trip (one byte typed into `cat` in a pty, until its echo arrives), p50/p99,
 *    BENCH_SAMPLES keystrokes to each path in turn;
 *  - bulk output throughput (`cat` of a BENCH_MB text file, default 200 MB, through the pty), the
 *    median of BENCH_ROUNDS alternating rounds.
 * A third path, the floor (bench/terminal-floor/: a bare ws relay and node-pty holder), shows what
 * the architecture costs here before any of our code. A fourth, the peers' path
 * (bench/terminal-peer/: a ws relay running `ssh` in a node-pty, as Coolify's and Dokploy's terminal
 * servers do), is what users compare us with: the goals are echo p50 ≤ 1.0× and throughput ≥ 1.0× of
 * it, and within 1.2× of the floor. Syntra runs as released: the compiled control plane and agent.
 * Starts its own `syntra start` (embedded PostgreSQL/Redis), a real agent, and a private sshd on a
 * free loopback port with a temporary host key and authorized key (installs openssh-server if missing).
 */
import { type ChildProcess, fork, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { WebSocket } from 'ws';
import { TerminalClient } from '../backend/test/terminal/terminal-client.js';
import { ensureBuilt } from '../scripts/release.mjs';
import { AGENT_NODE_FLAGS, CONTROL_PLANE_NODE_FLAGS, freePort, percentile, root, sleep } from './support.js';
import { sshSession, startSshd } from './terminal-ssh.js';

const SIZE_MB = Number(process.env.BENCH_MB ?? 200);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 1000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
/** BENCH_PROFILE_DIR=dir writes V8 CPU profiles of the backend and the agent there. */
const profileFlags = process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', '--cpu-prof-interval=100', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : [];
const children: ChildProcess[] = [];
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'syntra-bench-term-'));
fs.chmodSync(tmp, 0o755);

/**
 * CPU seconds used so far by a process and everything under it (children that ended count through
 * their parent's cutime/cstime), from /proc: where a run's time goes, for both sides alike.
 */
function treeCpuSeconds(rootPid: number): number {
  const procs: { pid: number; ppid: number; ticks: number }[] = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      procs.push({ pid: Number(name), ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]) });
    } catch {
      /* gone meanwhile */
    }
  }
  const inTree = new Set([rootPid]);
  for (let size = 0; size !== inTree.size; ) {
    size = inTree.size;
    for (const p of procs) if (inTree.has(p.ppid)) inTree.add(p.pid);
  }
  return procs.filter((p) => inTree.has(p.pid)).reduce((t, p) => t + p.ticks, 0) / 100;
}

/** CPU seconds each process tree uses from now until the returned function is called. */
function cpuMeter(pids: number[]) {
  const before = pids.map(treeCpuSeconds);
  return () => pids.map((p, i) => treeCpuSeconds(p) - before[i]!);
}

// ---- Syntra -----------------------------------------------------------------------------------

async function startSyntra() {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const dataDir = path.join(tmp, 'syntra');
  // Both start with the V8 flags their real launchers use (npm start; install.sh and the local agent).
  if (!ensureBuilt()) throw new Error('the release did not build');
  const backend = spawn(process.execPath, [...CONTROL_PLANE_NODE_FLAGS, ...profileFlags, path.join(root, 'dist/syntra/syntra.mjs'), 'start'], {
    cwd: root,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: url, SYNTRA_DATA_DIR: dataDir, SYNTRA_LOCAL_AGENT: 'false', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  children.push(backend);
  const deadline = Date.now() + 90_000;
  for (;;) {
    const ok = await fetch(`${url}/readyz`).then((r) => r.ok).catch(() => false);
    if (ok) break;
    if (Date.now() > deadline || backend.exitCode !== null) throw new Error('syntra did not start');
    await sleep(200);
  }
  const post = async (p: string, body: unknown, token?: string, orgId?: string) => {
    const res = await fetch(`${url}${p}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...(orgId ? { 'x-org-id': orgId } : {}) },
      body: JSON.stringify(body),
    });
    const json = (await res.json()) as any;
    if (!json.success) throw new Error(`${p}: ${JSON.stringify(json)}`);
    return json.data;
  };
  const account = await post('/api/v1/auth/register', { email: `bench-${Date.now()}@example.test`, password: 'bench password 123', name: 'Bench' });
  const token = account.token as string;
  const created = await post('/api/v1/servers', { name: 'bench' }, token, account.org.id);
  const agentDir = path.join(tmp, 'agent');
  fs.mkdirSync(agentDir, { mode: 0o700 });
  fs.writeFileSync(path.join(agentDir, 'config.json'), JSON.stringify({ url, token: created.agent_token, data_dir: agentDir }), { mode: 0o600 });
  const agent = spawn(process.execPath, [...AGENT_NODE_FLAGS, ...profileFlags, path.join(root, 'dist/agent/syntra-agent.mjs'), '--config', path.join(agentDir, 'config.json')], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, SYNTRA_EDGE_HTTP_PORT: 'off' } });
  children.push(agent);
  const serverId = created.server.id as string;
  for (const until = Date.now() + 60_000; ; ) {
    const s = (await (await fetch(`${url}/api/v1/servers/${serverId}`, { headers: { authorization: `Bearer ${token}` } })).json()) as any;
    if (s.data?.status === 'online') break;
    if (Date.now() > until) throw new Error('agent did not come online');
    await sleep(200);
  }
  return {
    pids: [backend.pid!, agent.pid!],
    async session() {
      const opened = await post(`/api/v1/servers/${serverId}/terminal`, { cols: 120, rows: 40, target: { kind: 'host' } }, token);
      const c = await TerminalClient.connect(url, opened.session_id, opened.ticket);
      c.keepChars = 4096;
      await c.until(() => c.messages.some((m) => m.type === 'opened'), 15_000, 'opened');
      return c;
    },
  };
}

// ---- the floor: a bare WebSocket relay and pty holder ------------------------------------------

/** A console on a bare relay's WebSocket: what is typed goes out as `frame(text)`, output is counted and tailed. */
async function socketConsole(url: string, frame: (typed: string) => string | Buffer, settleMs: number) {
  const ws = new WebSocket(url, { perMessageDeflate: false });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  let tail = '';
  let bytes = 0;
  let onData: ((d: Buffer) => void) | null = null;
  ws.on('message', (d: Buffer) => {
    bytes += d.byteLength;
    onData?.(d);
    tail = (tail + d.toString('latin1')).slice(-4096);
  });
  await sleep(settleMs);
  const pty: Pty = { type: (x) => ws.send(frame(x)), tail: () => tail, bytes: () => bytes, onData: (f) => (onData = f) };
  return { ws, pty };
}

/**
 * The same path as Syntra's (console socket → relay → agent socket → node-pty) with none of its
 * work: bench/terminal-floor/. What this architecture costs on this machine before any of our code.
 */
async function startFloor() {
  const dir = path.join(root, 'bench', 'terminal-floor');
  const relay = fork(path.join(dir, 'relay.mjs'), [], { stdio: 'inherit' });
  children.push(relay);
  const port = await new Promise<number>((resolve) => relay.once('message', (m: { port: number }) => resolve(m.port)));
  const holder = fork(path.join(dir, 'pty-holder.mjs'), [String(port)], { stdio: 'inherit' });
  children.push(holder);
  await new Promise((resolve) => holder.once('message', resolve));
  // The floor relays binary frames untouched.
  const { ws, pty } = await socketConsole(`ws://127.0.0.1:${port}/console`, (x) => Buffer.from(x), 300);
  return {
    pty,
    pids: [relay.pid!, holder.pid!],
    stop() {
      ws.terminate();
      holder.kill('SIGTERM');
      relay.kill('SIGTERM');
    },
  };
}

// ---- the peers' path: a ws relay running ssh in a node-pty -------------------------------------

async function startPeer(ssh: { port: number; key: string; pid: number }) {
  const relay = fork(path.join(root, 'bench', 'terminal-peer', 'ssh-relay.mjs'), [String(ssh.port), ssh.key, os.userInfo().username], { stdio: 'inherit' });
  children.push(relay);
  const port = await new Promise<number>((resolve) => relay.once('message', (m: { port: number }) => resolve(m.port)));
  // The peers' relay takes text frames (and needs a moment for ssh to log in).
  const { ws, pty } = await socketConsole(`ws://127.0.0.1:${port}/`, (x) => x, 1500);
  return {
    pty,
    // The relay (with its ssh client) and sshd (with the session's shell).
    pids: [relay.pid!, ssh.pid],
    stop() {
      ws.terminate();
      relay.kill('SIGTERM');
    },
  };
}

// ---- measurements -----------------------------------------------------------------------------

interface Pty {
  type(s: string): void;
  tail(): string;
  bytes(): number;
  onData(f: ((d: Buffer) => void) | null): void;
}

async function waitTail(p: Pty, marker: string, ms = 600_000) {
  const deadline = Date.now() + ms;
  while (!p.tail().includes(marker)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${marker}; tail ${JSON.stringify(p.tail().slice(-200))}`);
    await sleep(1);
  }
}

/**
 * Keystroke echo round trips on each pty in turn (one keystroke to each, then 2 ms of quiet, and
 * again), so a noisy moment on the machine hits every path alike. The first 20 warm up.
 */
async function echoRoundTrips(ptys: Pty[]): Promise<number[][]> {
  for (const p of ptys) {
    // `cat` in canonical mode: the pty's line discipline echoes each byte at once.
    p.type('stty -echoctl; echo "cat-$((6*7))"; exec cat\r');
    await waitTail(p, 'cat-42');
  }
  await sleep(300);
  const times = ptys.map(() => [] as number[]);
  for (let i = 0; i < SAMPLES + 20; i += 1) {
    for (const [k, p] of ptys.entries()) {
      if (i % 1000 === 999) p.type('\r');
      const got = new Promise<void>((resolve) => p.onData(() => resolve()));
      const t0 = performance.now();
      p.type('k');
      await got;
      const dt = performance.now() - t0;
      p.onData(null);
      if (i >= 20) times[k]!.push(dt);
      await sleep(2);
    }
  }
  return times;
}

interface Throughput {
  mbPerS: number;
  bytes: number;
  seconds: number;
  /** CPU seconds of each measured process tree during the run. */
  cpu: number[];
}

let markers = 0;

async function throughput(p: Pty, file: string, pids: number[]): Promise<Throughput> {
  // Markers the shell computes (the typed echo never matches them), new for every run.
  const n = (markers += 1);
  p.type(`echo "ready${n}-$((6*7))"\r`);
  await waitTail(p, `ready${n}-42`);
  await sleep(200);
  const start = p.bytes();
  const cpu = cpuMeter(pids);
  const t0 = performance.now();
  p.type(`cat ${file}; echo "done${n}-$((7*7))"\r`);
  await waitTail(p, `done${n}-49`);
  const seconds = (performance.now() - t0) / 1000;
  const bytes = p.bytes() - start;
  return { mbPerS: bytes / 1e6 / seconds, bytes, seconds, cpu: cpu() };
}

function median(runs: Throughput[]): Throughput {
  return [...runs].sort((a, b) => a.mbPerS - b.mbPerS)[Math.floor(runs.length / 2)]!;
}

function fromClient(c: TerminalClient): Pty {
  return { type: (s) => c.type(s), tail: () => c.text, bytes: () => c.bytes, onData: (f) => (c.onOutput = f) };
}

function fromSsh(s: ReturnType<typeof sshSession>): Pty {
  return { type: (x) => s.type(x), tail: () => s.tail, bytes: () => s.bytes, onData: (f) => s.setOnData(f) };
}

async function main() {
  console.log(`terminal bench: ${SAMPLES} keystrokes, ${ROUNDS} × ${SIZE_MB} MB bulk output, ${os.cpus().length} cores`);
  const ssh = await startSshd(tmp, children);
  const syntra = await startSyntra();
  const file = path.join(tmp, 'bulk.txt');
  spawnSync('sh', ['-c', `head -c ${Math.round((SIZE_MB * 1e6 * 3) / 4)} /dev/urandom | base64 -w 120 > ${file}`]);

  const sshEcho = sshSession(ssh, children);
  await sleep(1500);
  const oursEchoClient = await syntra.session();
  const floorEcho = await startFloor();
  const peerEcho = await startPeer(ssh);
  const echoCpu = cpuMeter([...syntra.pids, ...floorEcho.pids, ...peerEcho.pids]);
  const [sshTimes, oursTimes, floorTimes, peerTimes] = (await echoRoundTrips([fromSsh(sshEcho), fromClient(oursEchoClient), floorEcho.pty, peerEcho.pty])) as [number[], number[], number[], number[]];
  const perKey = echoCpu().map((s) => `${Math.round((s * 1e6) / (SAMPLES + 20))} µs`);
  sshEcho.close();
  oursEchoClient.kill();
  floorEcho.stop();
  peerEcho.stop();

  // Bulk output in alternating rounds, so a noisy moment on the machine hits all three alike.
  const sshBulk = sshSession(ssh, children);
  await sleep(1500);
  const oursBulkClient = await syntra.session();
  const floorBulk = await startFloor();
  const peerBulk = await startPeer(ssh);
  const runs = { ssh: [] as Throughput[], ours: [] as Throughput[], floor: [] as Throughput[], peer: [] as Throughput[] };
  for (let round = 0; round < ROUNDS; round += 1) {
    runs.ssh.push(await throughput(fromSsh(sshBulk), file, [ssh.pid, sshBulk.pid]));
    runs.ours.push(await throughput(fromClient(oursBulkClient), file, syntra.pids));
    runs.floor.push(await throughput(floorBulk.pty, file, floorBulk.pids));
    runs.peer.push(await throughput(peerBulk.pty, file, peerBulk.pids));
  }
  const frames = oursBulkClient.chunks;
  const oursBytes = oursBulkClient.bytes;
  sshBulk.close();
  oursBulkClient.kill();
  floorBulk.stop();
  peerBulk.stop();

  const sshTp = median(runs.ssh);
  const oursTp = median(runs.ours);
  const floorTp = median(runs.floor);
  const peerTp = median(runs.peer);
  const row = (name: string, times: number[], tp: Throughput) =>
    `${name.padEnd(24)} echo p50 ${percentile(times, 50).toFixed(3).padStart(7)} ms   p99 ${percentile(times, 99).toFixed(3).padStart(7)} ms   bulk ${tp.mbPerS.toFixed(1).padStart(6)} MB/s (median of ${ROUNDS}: ${(tp.bytes / 1e6).toFixed(0)} MB in ${tp.seconds.toFixed(2)} s)`;
  console.log('');
  console.log(row('ssh localhost', sshTimes, sshTp));
  console.log(row('syntra (backend+agent)', oursTimes, oursTp));
  console.log(row('floor (bare ws relay)', floorTimes, floorTp));
  console.log(row('peer (ws relay → ssh)', peerTimes, peerTp));
  console.log('');
  const spread = (times: number[]) => [90, 95, 98, 99, 100].map((p) => `p${p} ${percentile(times, p).toFixed(2)}`).join('  ');
  console.log(`echo spread (ms)  ssh: ${spread(sshTimes)}\n                   syntra: ${spread(oursTimes)}\n                   floor: ${spread(floorTimes)}\n                   peer: ${spread(peerTimes)}`);
  const secs = (n: number) => `${n.toFixed(2)} s`;
  console.log(`echo CPU per keystroke (whole process trees, background work included): syntra: backend ${perKey[0]}, agent+shell ${perKey[1]}   floor: relay ${perKey[2]}, pty holder+shell ${perKey[3]}   peer: relay+ssh ${perKey[4]}, sshd+shell ${perKey[5]}`);
  console.log(`bulk CPU (median round): ssh: sshd+shell ${secs(sshTp.cpu[0]!)}, ssh client ${secs(sshTp.cpu[1]!)}   syntra: backend ${secs(oursTp.cpu[0]!)}, agent+shell ${secs(oursTp.cpu[1]!)}   floor: relay ${secs(floorTp.cpu[0]!)}, pty holder+shell ${secs(floorTp.cpu[1]!)}   peer: relay+ssh ${secs(peerTp.cpu[0]!)}, sshd+shell ${secs(peerTp.cpu[1]!)}`);
  console.log(`bulk MB/s per round: ssh ${runs.ssh.map((r) => r.mbPerS.toFixed(1)).join(' ')}   syntra ${runs.ours.map((r) => r.mbPerS.toFixed(1)).join(' ')}   floor ${runs.floor.map((r) => r.mbPerS.toFixed(1)).join(' ')}   peer ${runs.peer.map((r) => r.mbPerS.toFixed(1)).join(' ')}`);
  console.log(`syntra output frames: ${frames} (${(oursBytes / frames / 1024).toFixed(1)} KiB on average)`);
  console.log('');
  const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
  const p50 = (t: number[]) => percentile(t, 50);
  console.log(`syntra/peer (ws relay → ssh, what Coolify and Dokploy do): echo p50 ${ratio(p50(oursTimes), p50(peerTimes))} (goal ≤ 1.0×), throughput ${ratio(oursTp.mbPerS, peerTp.mbPerS)} (goal ≥ 1.0×)`);
  console.log(`syntra/floor (bare relay, none of our work):        echo p50 ${ratio(p50(oursTimes), p50(floorTimes))} (goal ≤ 1.2×), throughput ${ratio(oursTp.mbPerS, floorTp.mbPerS)} (goal ≥ 1/1.2 = 0.83×)`);
  // The rounds run the paths back to back, so each round's own ratio shares its moment of the
  // machine; their median is less at the mercy of one slow round than the medians' ratio above.
  const paired = (a: Throughput[], b: Throughput[]) => ratio(percentile(a.map((r, i) => r.mbPerS / b[i]!.mbPerS), 50), 1);
  console.log(`throughput, median of the ${ROUNDS} rounds' own ratios: syntra/peer ${paired(runs.ours, runs.peer)}, syntra/floor ${paired(runs.ours, runs.floor)}`);
  console.log(`syntra/ssh: echo p50 ${ratio(p50(oursTimes), p50(sshTimes))}  p99 ${ratio(percentile(oursTimes, 99), percentile(sshTimes, 99))}, throughput ${ratio(oursTp.mbPerS, sshTp.mbPerS)}   floor/ssh: echo p50 ${ratio(p50(floorTimes), p50(sshTimes))}, throughput ${ratio(floorTp.mbPerS, sshTp.mbPerS)}   peer/ssh: echo p50 ${ratio(p50(peerTimes), p50(sshTimes))}, throughput ${ratio(peerTp.mbPerS, sshTp.mbPerS)}`);
}

async function cleanup() {
  // Newest first (ssh sessions, the agent), so the backend sees its agent leave before it stops.
  for (const c of children.reverse()) {
    if (c.exitCode !== null || c.signalCode !== null) continue;
    c.kill('SIGTERM');
    await Promise.race([new Promise((r) => c.once('exit', r)), sleep(3000)]);
  }
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  fs.rmSync(tmp, { recursive: true, force: true });
}

try {
  await main();
  await cleanup();
  process.exit(0);
} catch (err) {
  console.error(err);
  await cleanup();
  process.exit(1);
}
