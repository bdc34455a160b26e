/**
 * `npm run bench -- deploy`: deploys examples/node-hello on the process runtime from a local git
 * repository, through the real path (git push → signed webhook → BullMQ build → agent → edge), and
 * reports:
 *  - push → running, split by phase, and the orchestration overhead (everything except the app's
 *    own install/build commands — node-hello has none — i.e. the whole time here);
 *  - a redeploy while a load generator sends a steady BENCH_RPS (default 200) requests per second to
 *    the service's stable port: requests sent, failed (goal 0), latency p50/p99.
 * Starts its own `syntra start` (embedded PostgreSQL/Redis, workers in-process) and a real agent.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { AGENT_NODE_FLAGS, CONTROL_PLANE_NODE_FLAGS, freePort, percentile, root, sleep, tsx } from './support.js';

const RPS = Number(process.env.BENCH_RPS ?? 200);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const SECRET = 'bench-webhook-secret';
const children: ChildProcess[] = [];
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'syntra-bench-deploy-'));
fs.chmodSync(tmp, 0o755);

async function main() {
  // ---- Syntra + agent --------------------------------------------------------------------------
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const backend = spawn(tsx, [...CONTROL_PLANE_NODE_FLAGS, path.join(root, 'backend/src/cli.ts'), 'start'], {
    cwd: root,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: url, SYNTRA_DATA_DIR: path.join(tmp, 'syntra'), SYNTRA_LOCAL_AGENT: 'false', LOG_LEVEL: 'warn', GITHUB_WEBHOOK_SECRET: SECRET },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.push(backend);
  for (const deadline = Date.now() + 90_000; !(await fetch(`${url}/readyz`).then((r) => r.ok).catch(() => false)); ) {
    if (Date.now() > deadline || backend.exitCode !== null) throw new Error('syntra did not start');
    await sleep(200);
  }
  let token = '';
  const call = async (method: string, p: string, body?: unknown, orgId?: string) => {
    const res = await fetch(`${url}${p}`, { method, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...(orgId ? { 'x-org-id': orgId } : {}) }, body: body === undefined ? undefined : JSON.stringify(body) });
    const json = (await res.json()) as any;
    if (!json.success) throw new Error(`${method} ${p}: ${JSON.stringify(json)}`);
    return json.data;
  };
  const account = await call('POST', '/api/v1/auth/register', { email: `bench-${Date.now()}@example.test`, password: 'bench password 123', name: 'Bench' });
  token = account.token;
  const orgId = account.org.id as string;
  const server = await call('POST', '/api/v1/servers', { name: 'bench' }, orgId);
  const agentDir = path.join(tmp, 'agent');
  fs.mkdirSync(agentDir, { mode: 0o700 });
  fs.writeFileSync(path.join(agentDir, 'config.json'), JSON.stringify({ url, token: server.agent_token, data_dir: agentDir }), { mode: 0o600 });
  children.push(spawn(tsx, [...AGENT_NODE_FLAGS, path.join(root, 'agent/src/main.ts'), '--config', path.join(agentDir, 'config.json')], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, SYNTRA_EDGE_HTTP_PORT: 'off' } }));
  for (const deadline = Date.now() + 60_000; (await call('GET', `/api/v1/servers/${server.server.id}`)).status !== 'online'; ) {
    if (Date.now() > deadline) throw new Error('agent did not come online');
    await sleep(100);
  }

  // ---- repository, project, service -------------------------------------------------------------
  const bare = path.join(tmp, 'app.git');
  const work = path.join(tmp, 'work');
  const gitEnv = { ...process.env, GIT_AUTHOR_NAME: 'b', GIT_AUTHOR_EMAIL: 'b@example.test', GIT_COMMITTER_NAME: 'b', GIT_COMMITTER_EMAIL: 'b@example.test' };
  const git = (...args: string[]) => execFileSync('git', args, { cwd: work, env: gitEnv, encoding: 'utf8' }).trim();
  execFileSync('git', ['init', '-q', '--bare', '-b', 'main', bare]);
  fs.cpSync(path.join(root, 'examples/node-hello'), work, { recursive: true });
  git('init', '-q', '-b', 'main');
  git('remote', 'add', 'origin', bare);
  git('add', '-A');
  git('commit', '-q', '-m', 'init');
  git('push', '-q', 'origin', 'main');
  const appPort = await freePort();
  const project = await call('POST', '/api/v1/projects', { name: 'bench', git_repo_url: `file://${bare}` }, orgId);
  await call('POST', `/api/v1/projects/${project.id}/services`, { name: 'web', server_id: server.server.id, port: appPort, health_check: { path: '/health', interval_seconds: 1, timeout_seconds: 2, retries: 3 } });

  let n = 0;
  /** Commit, git push, signed webhook; resolves with timings once the deployment is running. */
  async function pushAndDeploy(version: string) {
    fs.writeFileSync(path.join(work, 'VERSION'), `${version}\n`);
    git('add', '-A');
    git('commit', '-q', '-m', version);
    const t0 = performance.now();
    git('push', '-q', 'origin', 'main');
    const tPushed = performance.now();
    const sha = git('rev-parse', 'HEAD');
    const body = JSON.stringify({ ref: 'refs/heads/main', after: sha, head_commit: { id: sha, message: version }, repository: { clone_url: `file://${bare}` } });
    const hook = await fetch(`${url}/api/v1/webhooks/github`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-github-event': 'push', 'x-github-delivery': `bench-${(n += 1)}-${Date.now()}`, 'x-hub-signature-256': `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}` },
      body,
    });
    const id = ((await hook.json()) as any).data.deployments[0].deployment_id as string;
    const tQueued = performance.now();
    let d: any;
    for (;;) {
      d = await call('GET', `/api/v1/deployments/${id}?tail=200`);
      if (['running', 'failed'].includes(d.status)) break;
      await sleep(10);
    }
    const tRunning = performance.now();
    if (d.status !== 'running') throw new Error(`deployment failed: ${d.error_message}`);
    const at = (prefix: string) => {
      const line = d.logs.lines.find((l: any) => l.line.startsWith(prefix));
      return line ? Date.parse(line.ts) : NaN;
    };
    const agentSpan = (from: string, to: string) => at(to) - at(from);
    return {
      total: tRunning - t0,
      gitPush: tPushed - t0,
      webhook: tQueued - tPushed,
      queued: d.phases.queued ?? 0,
      building: d.phases.building ?? 0,
      pushing: d.phases.pushing ?? 0,
      deploying: d.phases.deploying ?? d.deploy_duration_ms ?? 0,
      agentPull: agentSpan('agent: pulling', 'agent: starting'),
      agentStart: agentSpan('agent: starting', 'agent: health_checking'),
      agentHealth: agentSpan('agent: health_checking', 'traffic switched'),
    };
  }

  // ---- push → running ----------------------------------------------------------------------------
  const runs = [];
  for (let i = 0; i < RUNS; i += 1) runs.push(await pushAndDeploy(`v${i + 1}`));
  const med = (k: keyof (typeof runs)[number]) => percentile(runs.map((r) => r[k]), 50);
  console.log(`\npush → running on the process runtime (examples/node-hello, ${RUNS} runs, medians in ms)`);
  const rows: Array<[string, keyof (typeof runs)[number]]> = [
    ['git push (to the local bare repo)', 'gitPush'],
    ['webhook → deployment queued', 'webhook'],
    ['queued (waiting for a worker)', 'queued'],
    ['building (fetch, checkout, detect, pack, store)', 'building'],
    ['pushing (artifact recorded)', 'pushing'],
    ['deploying (agent, total)', 'deploying'],
    ['  agent: download + verify + unpack', 'agentPull'],
    ['  agent: start the new version (spawn)', 'agentStart'],
    ['  agent: health gate → traffic switched', 'agentHealth'],
    ['push → running (as seen by a console polling the API)', 'total'],
  ];
  for (const [label, k] of rows) console.log(`  ${label.padEnd(56)} ${med(k).toFixed(0).padStart(6)}`);
  console.log('  orchestration overhead = push → running: node-hello has no install/build commands of its own');
  console.log('  (its boot — `node server.js`, from its plain "start" script — is inside the health-gate row)');

  // ---- redeploy under steady load ------------------------------------------------------------------
  const latencies: number[] = [];
  let sent = 0;
  let failed = 0;
  const errors = new Map<string, number>();
  const target = `http://127.0.0.1:${appPort}/`;
  const versions = new Set<string>();
  const fire = async () => {
    sent += 1;
    const t = performance.now();
    try {
      const res = await fetch(target);
      const body = (await res.json()) as { version: string };
      if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
      versions.add(body.version);
      latencies.push(performance.now() - t);
    } catch (err) {
      failed += 1;
      const key = String(err instanceof Error ? (err.cause ?? err.message) : err).slice(0, 80);
      errors.set(key, (errors.get(key) ?? 0) + 1);
    }
  };
  const inflight = new Set<Promise<void>>();
  const interval = 1000 / RPS;
  let running = true;
  const started = performance.now();
  const loop = (async () => {
    let next = performance.now();
    while (running) {
      const p = fire().finally(() => inflight.delete(p));
      inflight.add(p);
      next += interval;
      const wait = next - performance.now();
      if (wait > 0) await sleep(wait);
    }
  })();
  await sleep(1000);
  const redeploy = await pushAndDeploy('under-load');
  await sleep(1500);
  running = false;
  await loop;
  await Promise.all(inflight);
  const seconds = (performance.now() - started) / 1000;
  console.log(`\nredeploy under load (${RPS} req/s target to the service's stable port)`);
  console.log(`  requests sent ${sent} in ${seconds.toFixed(1)} s (${(sent / seconds).toFixed(0)} req/s), failed ${failed}`);
  for (const [e, c] of errors) console.log(`    ${c} × ${e}`);
  console.log(`  latency p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms; versions answered: ${[...versions].join(', ')}`);
  console.log(`  redeploy push → running ${redeploy.total.toFixed(0)} ms\n`);
}

main()
  .catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(async () => {
    for (const c of children.reverse()) {
      if (c.exitCode !== null) continue;
      const exited = new Promise((r) => c.once('exit', r));
      c.kill('SIGTERM');
      await Promise.race([exited, sleep(15_000)]);
    }
    fs.rmSync(tmp, { recursive: true, force: true });
  });
