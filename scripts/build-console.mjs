// Builds the web console (desktop renderer → desktop/dist/web) when it is missing or older than its sources.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const consoleIndex = path.join(root, 'desktop', 'dist', 'web', 'index.html');
const SOURCES = ['desktop/src/renderer', 'desktop/src/shared', 'shared/src', 'desktop/vite.web.config.ts', 'desktop/package.json', 'package-lock.json'];

/** The newest modification time under `p` (a file or a directory tree); 0 when it does not exist. */
export function newestMtime(p) {
  let stat;
  try {
    stat = fs.statSync(p);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of fs.readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, entry)));
  return newest;
}

export function consoleIsFresh() {
  if (!fs.existsSync(consoleIndex)) return false;
  const built = fs.statSync(consoleIndex).mtimeMs;
  return SOURCES.every((s) => newestMtime(path.join(root, s)) <= built);
}

/** Returns true when the console is (now) built; a failed build is reported but does not stop the API. */
export function ensureConsoleBuilt({ force = false } = {}) {
  if (!force && consoleIsFresh()) return true;
  console.log('Building the web console (vite)…');
  const vite = path.join(root, 'node_modules', '.bin', 'vite');
  // NODE_ENV from the caller (vitest sets "test") would make React's development build: force production.
  const result = spawnSync(vite, ['build', '--config', 'vite.web.config.ts', '--mode', 'production', '--logLevel', 'warn'], {
    cwd: path.join(root, 'desktop'),
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (result.status !== 0) {
    console.error('The web console build failed (see above); the API still starts, and / explains how to build it.');
    return false;
  }
  return true;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exit(ensureConsoleBuilt({ force: process.argv.includes('--force') }) ? 0 : 1);
}
