// The console's browser tests as a step of `npm test`: make sure Debian's Chromium is there
// (installing it when running as root), build the web console and the Electron app, then run desktop/test/e2e.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
// @ts-expect-error plain .mjs helper shared with `npm start`
import { ensureConsoleBuilt } from './build-console.mjs';

const root = path.resolve(import.meta.dirname, '..');
const CHROMIUM = ['/usr/lib/chromium/chromium', '/usr/bin/chromium'];

function ensureChromium(): boolean {
  if (CHROMIUM.some((p) => fs.existsSync(p))) return true;
  if (process.getuid?.() !== 0) {
    console.error('Chromium is missing and this is not root: run `apt-get install -y chromium` once.');
    return false;
  }
  console.log('Installing Chromium for the console tests (apt-get install chromium)…');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  const res = spawnSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env });
  return res.status === 0 && CHROMIUM.some((p) => fs.existsSync(p));
}

/** The desktop app's own build (main, sandboxed preload, renderer): it must keep building even though Electron cannot run here. */
function buildDesktopApp(): boolean {
  const bin = path.join(root, 'node_modules', '.bin', 'electron-vite');
  const res = spawnSync(bin, ['build', '--logLevel', 'warn'], { cwd: path.join(root, 'desktop'), stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
  if (res.status !== 0) console.error('electron-vite build failed (see above).');
  return res.status === 0;
}

/** Returns the exit code of the e2e step. `env` carries the disposable PostgreSQL/Redis of the test run. */
export function runConsoleE2e(env: NodeJS.ProcessEnv): number {
  if (!ensureChromium()) return 1;
  if (!ensureConsoleBuilt() || !buildDesktopApp()) return 1;
  const tsx = path.join(root, 'node_modules', '.bin', 'tsx');
  const res = spawnSync(tsx, [path.join(root, 'desktop', 'test', 'e2e', 'run.ts')], {
    cwd: root,
    stdio: 'inherit',
    env: { ...env, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' },
    timeout: 6 * 60_000,
  });
  return res.status ?? 1;
}
