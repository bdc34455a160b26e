import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_LIMITS, RepoFilesArgsSchema, type RepoFilesResult } from '@syntra/shared';
import { type CommandHandler, CommandError } from '../core/handlers.js';

/** git on the bare mirror, read-only; `safe.directory` because the mirror is the build user's. */
function git(mirror: string, args: string[], maxBuffer: number): Promise<{ out: string; overflow: boolean }> {
  return new Promise((resolve, reject) => {
    execFile('git', ['-c', 'safe.directory=*', '--git-dir', mirror, ...args], { maxBuffer, timeout: 30_000, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', GIT_CONFIG_NOSYSTEM: '1', HOME: '/nonexistent' } }, (err, stdout) => {
      if (err && (err as NodeJS.ErrnoException & { code?: unknown }).code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') resolve({ out: String(stdout), overflow: true });
      else if (err) reject(err);
      else resolve({ out: String(stdout), overflow: false });
    });
  });
}

function cut(text: string, max: number): { text: string; truncated: boolean } {
  const buf = Buffer.from(text, 'utf8');
  if (buf.length <= max) return { text, truncated: false };
  // Cut on a character boundary (the decoder drops a split sequence's tail).
  return { text: buf.subarray(0, max).toString('utf8').replace(/\uFFFD$/, ''), truncated: true };
}

/**
 * `repo.files` (shared/src/protocol/repo-files.ts): the file tree, some files and a diff from the
 * service's git mirror, which builds keep in `<data dir>/git-cache/<service>.git`. Every output is
 * cut to the protocol's bounds; binary files are left out.
 */
export const repoFiles: CommandHandler = async (raw, ctx) => {
  const parsed = RepoFilesArgsSchema.safeParse(raw);
  if (!parsed.success) throw new CommandError('invalid_args', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  const args = parsed.data;
  const mirror = path.join(ctx.dataDir, 'git-cache', `${args.service_id}.git`);
  if (!fs.existsSync(path.join(mirror, 'HEAD'))) throw new CommandError('no_mirror', 'This service has not been fetched on this server yet (its first build creates the git mirror)');
  const ref = args.ref ?? 'HEAD';
  let sha: string;
  try {
    sha = (await git(mirror, ['rev-parse', '--verify', '--end-of-options', `${ref}^{commit}`], 4096)).out.trim();
  } catch {
    throw new CommandError('unknown_ref', `No commit ${ref} in the mirror`);
  }
  const result: RepoFilesResult = { sha, tree: [], tree_truncated: false, files: [], diff: null, diff_truncated: false };
  if (args.tree) {
    const { out, overflow } = await git(mirror, ['ls-tree', '-r', '-z', '--name-only', sha], 2 * 1024 * 1024);
    const entries = out.split('\0').filter(Boolean);
    result.tree = entries.slice(0, REPO_LIMITS.treeEntries).map((e) => e.slice(0, 1000));
    result.tree_truncated = overflow || entries.length > REPO_LIMITS.treeEntries;
  }
  let total = 0;
  for (const p of args.paths) {
    if (total >= REPO_LIMITS.totalFileBytes) break;
    const shown = await git(mirror, ['show', `${sha}:${p}`], REPO_LIMITS.fileBytes + 1).catch(() => null);
    if (!shown || shown.out.includes('\u0000')) continue;
    const { text, truncated } = cut(shown.out, Math.min(REPO_LIMITS.fileBytes, REPO_LIMITS.totalFileBytes - total));
    total += Buffer.byteLength(text);
    result.files.push({ path: p, content: text, truncated: truncated || shown.overflow });
  }
  if (args.diff) {
    const diff = await git(mirror, ['diff', '--no-color', '--no-ext-diff', args.diff.from, args.diff.to, '--', ...args.diff.paths], REPO_LIMITS.diffBytes + 1).catch(() => null);
    if (diff) {
      const { text, truncated } = cut(diff.out.split('\u0000').join(''), REPO_LIMITS.diffBytes);
      result.diff = text;
      result.diff_truncated = truncated || diff.overflow;
    }
  }
  return result;
};
