// What `npm start` and `npm run syntra` share: build the release when stale, then run it with plain node.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { newestMtime } from './build-console.mjs';
import { root } from './ensure-install.mjs';

export const syntraEntry = path.join(root, 'dist', 'syntra', 'syntra.mjs');
const stampFile = path.join(root, 'dist', 'BUILD');
/** Everything the release is built from: a change to any of these makes dist/ stale. */
const SOURCES = ['backend/src', 'agent/src', 'shared/src', 'desktop/src/renderer', 'desktop/src/shared', 'desktop/vite.web.config.ts', 'package-lock.json', 'scripts/build.mjs'];

function isFresh() {
  if (!fs.existsSync(stampFile) || !fs.existsSync(syntraEntry)) return false;
  const built = fs.statSync(stampFile).mtimeMs;
  return SOURCES.every((s) => newestMtime(path.join(root, s)) <= built);
}

/** Builds dist/ (scripts/build.mjs, under tsx: it bundles TypeScript) when a source is newer than it; false if that failed. */
export function ensureBuilt() {
  if (isFresh()) return true;
  console.log('Building Syntra (dist/ is missing or older than its sources)…');
  const tsx = path.join(root, 'node_modules', '.bin', 'tsx');
  const result = spawnSync(tsx, [path.join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) console.error('The build failed (see above).');
  return result.status === 0;
}
