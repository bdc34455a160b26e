import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import { prebuiltAgentFile } from '../../install-layout.js';

export interface NativeModulesPackage {
  tarball: Buffer;
  sha256: string;
  /** The @lydell/node-pty version inside. */
  version: string;
}

/** Platforms @lydell/node-pty ships prebuilt binaries for that an agent's install script asks about. */
export const NATIVE_TARGET = /^(linux)-(x64|arm64)$/;
export const NATIVE_TARGETS = ['linux-x64', 'linux-arm64'] as const;

const cache = new Map<string, Promise<NativeModulesPackage | null>>();
const require = createRequire(import.meta.url);

function packageDir(name: string): string | null {
  try {
    return path.dirname(require.resolve(`${name}/package.json`));
  } catch {
    return null;
  }
}

/**
 * The agent's native modules, which its single-file bundle leaves out, as one `node_modules` tarball
 * for install.sh: @lydell/node-pty plus its prebuilt binary for the server's platform (terminals;
 * required, so null when this installation lacks that binary — npm installs only the local one), and
 * bufferutil with node-gyp-build (native WebSocket masking; optional: ws falls back to JavaScript
 * where no prebuild fits).
 */
export function nativeModules(target: string): Promise<NativeModulesPackage | null> {
  if (!NATIVE_TARGET.test(target)) return Promise.resolve(null);
  let pending = cache.get(target);
  if (!pending) {
    pending = loadOrPack(target);
    cache.set(target, pending);
  }
  return pending;
}

/** The release ships the tarballs prebuilt (dist/agent); from source they are packed on first request. */
async function loadOrPack(target: string): Promise<NativeModulesPackage | null> {
  const prebuilt = prebuiltAgentFile(`native-${target}.tar.gz`);
  if (!prebuilt) return packNativeModules(target);
  const tarball = await fs.promises.readFile(prebuilt);
  const version = (JSON.parse(fs.readFileSync(path.join(packageDir('@lydell/node-pty') ?? '.', 'package.json'), 'utf8')) as { version?: string }).version ?? 'unknown';
  return { tarball, sha256: createHash('sha256').update(tarball).digest('hex'), version };
}

/** Packs @lydell/node-pty (+ bufferutil) for `target` from this installation's node_modules; null when its binary is missing. */
export async function packNativeModules(target: string): Promise<NativeModulesPackage | null> {
  const pty = packageDir('@lydell/node-pty');
  if (!pty) return null;
  const nodeModules = path.dirname(path.dirname(pty));
  const binary = path.join(nodeModules, `@lydell/node-pty-${target}`);
  if (!fs.existsSync(path.join(binary, 'package.json'))) return null;
  const optional = ['bufferutil', 'node-gyp-build'].filter((name) => packageDir(name) === path.join(nodeModules, name));
  const { version } = JSON.parse(fs.readFileSync(path.join(pty, 'package.json'), 'utf8')) as { version: string };
  const { stdout } = await promisify(execFile)('tar', ['-czf', '-', '-C', nodeModules, '@lydell/node-pty', `@lydell/node-pty-${target}`, ...optional], {
    encoding: 'buffer',
    maxBuffer: 32 * 1024 * 1024,
  });
  return { tarball: stdout, sha256: createHash('sha256').update(stdout).digest('hex'), version };
}
