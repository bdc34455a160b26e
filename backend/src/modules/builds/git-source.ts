import fs from 'node:fs';
import path from 'node:path';
import { type LineSink, runCommand } from './run-command.js';

export interface Checkout {
  sha: string;
  message: string;
}

const redactUrl = (url: string) => url.replace(/\/\/[^@/]+@/, '//***@');

/**
 * Fetches the repository into the service's bare mirror (first time: clone), then checks out the
 * wanted commit into `workdir`. Works with any URL git can clone: https, ssh, git, file, a path.
 */
export async function checkout(opts: { url: string; ref: string; mirror: string; workdir: string; env: NodeJS.ProcessEnv; signal?: AbortSignal | undefined; onLine: LineSink }): Promise<Checkout> {
  const { url, ref, mirror, workdir, env, signal, onLine } = opts;
  const git = (args: string[], cwd = path.dirname(mirror)) => runCommand('git', args, { cwd, env, signal, onLine, timeoutMs: 10 * 60_000 });
  await fs.promises.mkdir(path.dirname(mirror), { recursive: true });
  try {
    if (!fs.existsSync(path.join(mirror, 'HEAD'))) {
      onLine('system', `cloning ${redactUrl(url)}`);
      await fs.promises.rm(mirror, { recursive: true, force: true });
      await git(['clone', '--mirror', '--quiet', url, mirror]);
    } else {
      onLine('system', `fetching ${redactUrl(url)}`);
      await git(['--git-dir', mirror, 'remote', 'set-url', 'origin', url]);
      await git(['--git-dir', mirror, 'fetch', '--prune', '--quiet', 'origin', '+refs/heads/*:refs/heads/*', '+refs/tags/*:refs/tags/*']);
    }
  } catch (err) {
    throw new Error(`Could not fetch the git repository ${redactUrl(url)}: ${(err as Error).message}`, { cause: err });
  }
  let sha: string;
  try {
    sha = (await git(['--git-dir', mirror, 'rev-parse', '--verify', `${ref}^{commit}`])).trim();
  } catch {
    throw new Error(`The git ref "${ref}" does not exist in ${redactUrl(url)}`);
  }
  await fs.promises.rm(workdir, { recursive: true, force: true });
  await git(['clone', '--quiet', '--no-checkout', '--shared', mirror, workdir]);
  await git(['-c', 'advice.detachedHead=false', 'checkout', '--quiet', sha], workdir);
  const message = (await git(['log', '-1', '--format=%B', sha], workdir)).trim();
  onLine('system', `checked out ${sha.slice(0, 12)} ${message.split('\n')[0] ?? ''}`);
  return { sha, message };
}
