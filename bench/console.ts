/**
 * `npm run bench -- console`: the web console's performance, measured as a user gets it.
 *  - initial JS: what index.html loads before the first route (entry + modulepreloads), gzipped
 *    (budget ≤ 250 KB), and all route chunks for comparison;
 *  - first render of the overview on localhost in Chromium: navigation start → stats painted
 *    (cold: new browser context each run; warm: reload with the HTTP cache);
 *  - 1,000 servers: time until the list is interactive, frame times while scrolling it
 *    continuously, and the latency of filtering it.
 * Starts its own `syntra start` (embedded PostgreSQL/Redis) serving the built console.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { launchChromium } from '../desktop/test/e2e/harness.js';
// @ts-expect-error plain .mjs helper shared with `npm start`
import { ensureConsoleBuilt } from '../scripts/build-console.mjs';
import { CONTROL_PLANE_NODE_FLAGS, freePort, root, sleep, tsx } from './support.js';

const webDir = path.join(root, 'desktop', 'dist', 'web');
const SERVERS = Number(process.env.BENCH_SERVERS ?? 1000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'syntra-bench-console-'));
fs.chmodSync(tmp, 0o755);
const children: ChildProcess[] = [];
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)] ?? NaN;
const pct = (v: number[], p: number) => [...v].sort((a, b) => a - b)[Math.min(v.length - 1, Math.floor((p / 100) * v.length))] ?? NaN;

const SCROLL_FOR_3S = `new Promise((resolve) => {
  const el = document.querySelector('[data-testid="servers-scroll"]');
  const times = [];
  let last = performance.now();
  const end = last + 3000;
  function step(now) {
    times.push(now - last);
    last = now;
    el.scrollTop = (el.scrollTop + 120) % (el.scrollHeight - el.clientHeight);
    if (now < end) requestAnimationFrame(step);
    else resolve(times.slice(1));
  }
  requestAnimationFrame(step);
})`;

function bundleSizes() {
  const html = fs.readFileSync(path.join(webDir, 'index.html'), 'utf8');
  const initial = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]!);
  const gz = (file: string) => zlib.gzipSync(fs.readFileSync(path.join(webDir, file))).length;
  const all = fs.readdirSync(path.join(webDir, 'assets')).filter((f) => f.endsWith('.js'));
  return {
    initialFiles: initial,
    initialGzip: initial.reduce((sum, f) => sum + gz(f), 0),
    allGzip: all.reduce((sum, f) => sum + gz(path.join('assets', f)), 0),
    chunks: all.length,
  };
}

async function main() {
  if (!ensureConsoleBuilt()) throw new Error('the web console did not build');
  const sizes = bundleSizes();

  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const backend = spawn(tsx, [...CONTROL_PLANE_NODE_FLAGS, path.join(root, 'backend/src/cli.ts'), 'start'], {
    cwd: root,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: url, SYNTRA_DATA_DIR: path.join(tmp, 'syntra'), SYNTRA_LOCAL_AGENT: 'false', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.push(backend);
  for (const deadline = Date.now() + 90_000; !(await fetch(`${url}/readyz`).then((r) => r.ok).catch(() => false)); ) {
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
    if (!json.success) throw new Error(`${p}: ${JSON.stringify(json.error)}`);
    return json.data;
  };
  const small = await post('/api/v1/auth/register', { email: 'bench-small@example.com', password: 'bench-password-123', name: 'Bench' });
  for (let i = 0; i < 3; i++) await post('/api/v1/servers', { name: `srv-${i}` }, small.token, small.org.id);
  const big = await post('/api/v1/auth/register', { email: 'bench-big@example.com', password: 'bench-password-123', name: 'Bench Big' });
  const seedStart = performance.now();
  for (let i = 0; i < SERVERS; i += 20) {
    await Promise.all(Array.from({ length: Math.min(20, SERVERS - i) }, (_, j) => post('/api/v1/servers', { name: `node-${String(i + j).padStart(4, '0')}`, tags: ['bench'] }, big.token, big.org.id)));
  }
  const seedMs = performance.now() - seedStart;

  const browser = await launchChromium();
  try {
    // ---- first render of the overview -----------------------------------------------------------
    const cold: number[] = [];
    const warm: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const context = await browser.newContext({ viewport: { width: 1360, height: 860 } });
      await context.addInitScript((token) => localStorage.setItem('syntra.session', JSON.stringify({ token })), small.token);
      const page = await context.newPage();
      await page.goto(url);
      await page.getByTestId('overview-stats').waitFor();
      cold.push(await page.evaluate(() => performance.now()));
      await sleep(1500); // the query cache is saved a second after the last fetch
      await page.reload();
      await page.getByTestId('overview-stats').waitFor();
      warm.push(await page.evaluate(() => performance.now()));
      await context.close();
    }

    // ---- 1,000 servers --------------------------------------------------------------------------
    const context = await browser.newContext({ viewport: { width: 1360, height: 860 } });
    await context.addInitScript((token) => localStorage.setItem('syntra.session', JSON.stringify({ token })), big.token);
    const page = await context.newPage();
    await page.goto(`${url}/servers`);
    await page.getByTestId('server-row').first().waitFor({ timeout: 60_000 });
    const listReady = await page.evaluate(() => performance.now());
    const rowsInDom = await page.getByTestId('server-row').count();
    const total = await page.locator('.page-header p').textContent();
    // Scroll the list continuously for 3 s (one step per frame) and record every frame's duration.
    // (A string, not a function: tsx's name-keeping helpers do not exist in the page.)
    const frames = (await page.evaluate(SCROLL_FOR_3S)) as number[];
    // Filtering: type a query and wait until only the matching rows are left.
    const filterMs: number[] = [];
    for (const q of ['node-09', 'node-5', 'node-0123']) {
      await page.getByRole('searchbox', { name: 'Filter servers' }).fill('');
      await page.getByTestId('server-row').nth(5).waitFor();
      const started = await page.evaluate(() => performance.now());
      await page.getByRole('searchbox', { name: 'Filter servers' }).fill(q);
      await page.waitForFunction((query) => [...document.querySelectorAll('[data-testid="server-row"]')].every((r) => r.textContent?.includes(query)), q);
      filterMs.push((await page.evaluate(() => performance.now())) - started);
    }
    await context.close();

    const slow = frames.filter((f) => f > 1000 / 60 * 1.5).length;
    console.log(`
Syntra console benchmark (Chromium ${browser.version()}, ${os.cpus().length} cores)

Bundle (desktop/dist/web)
  initial JS (gzip):          ${kb(sizes.initialGzip)}  (${sizes.initialFiles.length} files; budget 250 KB: ${sizes.initialGzip <= 250 * 1024 ? 'OK' : 'OVER'})
  all JS, ${sizes.chunks} chunks (gzip):   ${kb(sizes.allGzip)}

First render of the overview (navigation start → stats on screen, ${RUNS} runs)
  cold (new context):         median ${median(cold).toFixed(0)} ms, worst ${Math.max(...cold).toFixed(0)} ms
  warm (reload, cached):      median ${median(warm).toFixed(0)} ms, worst ${Math.max(...warm).toFixed(0)} ms

${SERVERS} servers (seeded through the API in ${(seedMs / 1000).toFixed(1)} s)
  list interactive after:     ${listReady.toFixed(0)} ms (${total?.trim()}; ${rowsInDom} rows in the DOM, virtualised)
  scrolling 3 s, per frame:   mean ${(frames.reduce((a, b) => a + b, 0) / frames.length).toFixed(1)} ms, p95 ${pct(frames, 95).toFixed(1)} ms, max ${Math.max(...frames).toFixed(1)} ms; ${slow} of ${frames.length} frames over 25 ms
  filter to matches:          median ${median(filterMs).toFixed(0)} ms (${filterMs.map((m) => m.toFixed(0)).join(', ')} ms)
`);
  } finally {
    await browser.close();
  }
}

try {
  await main();
} finally {
  for (const c of children) c.kill('SIGTERM');
  await Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : null)));
  fs.rmSync(tmp, { recursive: true, force: true });
}
