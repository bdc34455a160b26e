// Installs npm dependencies when they are missing or older than the lockfile, with the switches this
// project needs (no binary downloads at install time: Electron and Playwright browsers are not used that way).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export function ensureInstalled() {
  const marker = path.join(root, 'node_modules', '.package-lock.json');
  const lock = path.join(root, 'package-lock.json');
  const stale = !fs.existsSync(marker) || (fs.existsSync(lock) && fs.statSync(lock).mtimeMs > fs.statSync(marker).mtimeMs);
  if (!stale) return;
  console.log('Installing dependencies (npm ci)…');
  const env = { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1', PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' };
  const cmd = fs.existsSync(lock) ? ['ci', '--no-audit', '--no-fund'] : ['install', '--no-audit', '--no-fund'];
  const result = spawnSync('npm', cmd, { cwd: root, stdio: 'inherit', env });
  if (result.status !== 0) {
    console.error('npm install failed; see the output above.');
    process.exit(result.status ?? 1);
  }
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

/**
 * Under `npm start` our parent is npm's `sh -c` wrapper, which outlives a killed npm: the npm process
 * itself (the nearest ancestor running npm) is the one to watch. Linux /proc; null elsewhere.
 */
function npmLauncherPid() {
  if (!process.env.npm_lifecycle_event) return null;
  let pid = process.ppid;
  for (let depth = 0; depth < 4 && pid > 1; depth += 1) {
    try {
      const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (/(^|\/)npm(-cli\.js)?\0|\/npm\/bin\/npm-cli\.js/.test(cmdline) || cmdline.startsWith('npm')) return pid;
      pid = Number(fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')[1]);
    } catch {
      return null;
    }
  }
  return null;
}

/**
 * Calls `onGone` once when the process that launched us goes away. `kill -TERM <npm's pid>` (what some
 * supervisors and IDEs send) or a killed npm ends npm without a word to its children, which would leave
 * Syntra — and the PostgreSQL, Redis and agent it runs — orphaned: a changed parent pid, or the npm
 * process gone, tells us. Returns a function that stops watching.
 */
export function watchLauncher(onGone) {
  const parent = process.ppid;
  const launcher = npmLauncherPid();
  const timer = setInterval(() => {
    if (process.ppid === parent && (launcher === null || alive(launcher))) return;
    clearInterval(timer);
    onGone();
  }, 500);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * Runs a command with inherited stdio; forwards SIGINT/SIGTERM/SIGHUP so the child can shut down cleanly.
 * `stopWithParent`: also stop it when the process that launched us goes away (watchLauncher).
 */
export function runForwardingSignals(command, args, { stopWithParent = false, ...options } = {}) {
  return new Promise((resolve) => {
    import('node:child_process').then(({ spawn }) => {
      const child = spawn(command, args, { cwd: root, stdio: 'inherit', ...options });
      const forward = (signal) => () => child.kill(signal);
      const handlers = { SIGINT: forward('SIGINT'), SIGTERM: forward('SIGTERM'), SIGHUP: forward('SIGTERM') };
      for (const [signal, handler] of Object.entries(handlers)) process.on(signal, handler);
      const unwatch = stopWithParent ? watchLauncher(() => child.kill('SIGTERM')) : () => undefined;
      child.on('exit', (code, signal) => {
        unwatch();
        for (const [name, handler] of Object.entries(handlers)) process.off(name, handler);
        resolve(code ?? (signal ? 1 : 0));
      });
    });
  });
}
