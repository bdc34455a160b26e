import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';

export interface PtyPackage {
  tarball: Buffer;
  sha256: string;
  version: string;
}

/** Platforms @lydell/node-pty ships prebuilt binaries for that an agent's install script asks about. */
export const PTY_TARGET = /^(linux)-(x64|arm64)$/;

const cache = new Map<string, Promise<PtyPackage | null>>();
const require = createRequire(import.meta.url);

/**
 * node-pty is native, so the single-file agent bundle leaves it out. install.sh fetches it from the
 * control plane as `node_modules/@lydell/node-pty` plus the prebuilt binary package for the
 * server's platform, when this installation has that binary (npm installs only the local one);
 * otherwise null, and the script says how to add it by hand.
 */
export function ptyPackage(target: string): Promise<PtyPackage | null> {
  if (!PTY_TARGET.test(target)) return Promise.resolve(null);
  let pending = cache.get(target);
  if (!pending) {
    pending = pack(target);
    cache.set(target, pending);
  }
  return pending;
}

async function pack(target: string): Promise<PtyPackage | null> {
  let mainDir: string;
  try {
    mainDir = path.dirname(require.resolve('@lydell/node-pty/package.json'));
  } catch {
    return null;
  }
  const scopeDir = path.dirname(mainDir);
  const binaryDir = path.join(scopeDir, `node-pty-${target}`);
  if (!fs.existsSync(path.join(binaryDir, 'package.json'))) return null;
  const { version } = JSON.parse(fs.readFileSync(path.join(mainDir, 'package.json'), 'utf8')) as { version: string };
  const { stdout } = await promisify(execFile)('tar', ['-czf', '-', '-C', path.dirname(scopeDir), '@lydell/node-pty', `@lydell/node-pty-${target}`], {
    encoding: 'buffer',
    maxBuffer: 32 * 1024 * 1024,
  });
  return { tarball: stdout, sha256: createHash('sha256').update(stdout).digest('hex'), version };
}
