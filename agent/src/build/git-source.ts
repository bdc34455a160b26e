import fs from 'node:fs';
import path from 'node:path';
import { type BuildCommit, type GitFetchPolicy, MAX_BUILD_COMMITS } from '@syntra/shared';
import { guardGitRemote } from './git-guard.js';
import { type LineSink, runCommand } from './run-command.js';
import type { BuildUser } from './build-user.js';

export interface Checkout {
  sha: string;
  message: string;
  commits: BuildCommit[];
  commitsComplete: boolean;
}

export interface CheckoutOptions {
  url: string;
  policy: GitFetchPolicy;
  ref: string;
  baseSha: string | null;
  /** The service's bare mirror (kept between builds, owned by the build user). */
  mirror: string;
  workdir: string;
  env: NodeJS.ProcessEnv;
  /** Builds ssh's command line for git from the guard's options (the key and known_hosts are the caller's). */
  sshCommand: (sshOptions: string[]) => string;
  user: BuildUser | null;
  signal?: AbortSignal | undefined;
  onLine: LineSink;
}

const redactUrl = (url: string) => url.replace(/\/\/[^@/]+@/, '//***@');

/**
 * Fetches the repository into the service's bare mirror (first time: clone), then checks out the
 * wanted commit into `workdir` and lists the commits since `baseSha`. Every fetch is guarded first
 * (policy, resolved address pinned), and git runs as the build user with the build's environment.
 */
export async function checkout(o: CheckoutOptions): Promise<Checkout> {
  const { url, ref, mirror, workdir, signal, onLine } = o;
  const run = (args: string[], env: NodeJS.ProcessEnv, cwd = path.dirname(mirror)) => runCommand('git', args, { cwd, env, user: o.user, signal, onLine, timeoutMs: 10 * 60_000, quiet: true });
  const git = (args: string[], cwd?: string) => run(args, o.env, cwd);
  // Plumbing whose output is data, not build log.
  const read = (args: string[], cwd = path.dirname(mirror)) => runCommand('git', args, { cwd, env: o.env, user: o.user, signal, timeoutMs: 60_000, quiet: true });
  try {
    const guarded = await guardGitRemote(url, o.policy);
    const env = { ...o.env, GIT_SSH_COMMAND: o.sshCommand(guarded.sshOptions) };
    if (!fs.existsSync(path.join(mirror, 'HEAD'))) {
      onLine('system', `cloning ${redactUrl(url)}`);
      await fs.promises.rm(mirror, { recursive: true, force: true });
      await run([...guarded.gitArgs, 'clone', '--mirror', '--quiet', url, mirror], env);
    } else {
      onLine('system', `fetching ${redactUrl(url)}`);
      await git(['--git-dir', mirror, 'remote', 'set-url', 'origin', url]);
      await run([...guarded.gitArgs, '--git-dir', mirror, 'fetch', '--prune', '--quiet', 'origin', '+refs/heads/*:refs/heads/*', '+refs/tags/*:refs/tags/*'], env);
    }
  } catch (err) {
    throw new Error(`Could not fetch the git repository ${redactUrl(url)}: ${(err as Error).message}`, { cause: err });
  }
  let sha: string;
  try {
    sha = (await read(['--git-dir', mirror, 'rev-parse', '--verify', '--end-of-options', `${ref}^{commit}`])).trim();
  } catch {
    throw new Error(`The git ref "${ref}" does not exist in ${redactUrl(url)}`);
  }
  await fs.promises.rm(workdir, { recursive: true, force: true });
  await git(['clone', '--quiet', '--no-checkout', '--shared', mirror, workdir]);
  await git(['-c', 'advice.detachedHead=false', 'checkout', '--quiet', sha], workdir);
  const message = (await read(['log', '-1', '--format=%B', sha], workdir)).trim();
  onLine('system', `checked out ${sha.slice(0, 12)} ${message.split('\n')[0] ?? ''}`);
  return { sha, message, ...(await commitsSince(read, mirror, o.baseSha, sha)) };
}

/** Commits after `base` up to `sha`, newest first, bounded; incomplete when `base` is unknown or not an ancestor. */
async function commitsSince(git: (args: string[]) => Promise<string>, mirror: string, base: string | null, sha: string): Promise<{ commits: BuildCommit[]; commitsComplete: boolean }> {
  if (!base || base === sha) return { commits: [], commitsComplete: base === sha };
  try {
    await git(['--git-dir', mirror, 'merge-base', '--is-ancestor', base, sha]);
  } catch {
    return { commits: [], commitsComplete: false };
  }
  const out = await git(['--git-dir', mirror, 'log', '--format=%H%x1f%s', '-n', String(MAX_BUILD_COMMITS + 1), `${base}..${sha}`]);
  const all = out
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const [s, m] = l.split('\x1f');
      return { sha: s!, message: (m ?? '').slice(0, 1000) };
    });
  return { commits: all.slice(0, MAX_BUILD_COMMITS), commitsComplete: all.length <= MAX_BUILD_COMMITS };
}
