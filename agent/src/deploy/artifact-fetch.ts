import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream } from 'node:stream/web';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Downloads a tarball artifact with the agent's own token (cached by digest), refuses it unless
 * its SHA-256 matches the digest in the deploy frame, and unpacks it into `dest`.
 * (The cache is keyed by digest, so a file there that still matches is not downloaded again.)
 */
export async function fetchAndUnpack(opts: { url: string; digest: string | null | undefined; token: string; cacheDir: string; dest: string }) {
  const file = await fetchVerified({ ...opts, name: `${path.basename(opts.dest)}.tar.gz` });
  await fs.promises.rm(opts.dest, { recursive: true, force: true });
  await fs.promises.mkdir(opts.dest, { recursive: true });
  await run('tar', ['-xzf', file, '-C', opts.dest]);
}

/** Downloads an artifact into the cache (by digest) and returns its path, refusing a digest mismatch. */
export async function fetchVerified(opts: { url: string; digest: string | null | undefined; token: string; cacheDir: string; name: string }): Promise<string> {
  // The agent's own: build steps (another user) must not read other builds' artifacts.
  await fs.promises.mkdir(opts.cacheDir, { recursive: true, mode: 0o700 });
  const name = opts.digest ? opts.digest.replace(/[^a-z0-9]/gi, '_') : opts.name;
  const file = path.join(opts.cacheDir, name);
  if (!opts.digest || !fs.existsSync(file) || (await digestOf(file)) !== opts.digest) {
    const res = await fetch(opts.url, { headers: { authorization: `Bearer ${opts.token}` } });
    if (!res.ok || !res.body) throw new Error(`artifact download failed: HTTP ${res.status}`);
    const tmp = `${file}.${process.pid}.part`;
    await pipeline(Readable.fromWeb(res.body as ReadableStream), fs.createWriteStream(tmp));
    const actual = await digestOf(tmp);
    if (opts.digest && actual !== opts.digest) {
      await fs.promises.rm(tmp, { force: true });
      throw new Error(`artifact digest mismatch: expected ${opts.digest}, got ${actual}`);
    }
    await fs.promises.rename(tmp, file);
  }
  return file;
}

async function digestOf(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(fs.createReadStream(file), hash);
  return `sha256:${hash.digest('hex')}`;
}
