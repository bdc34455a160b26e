import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The bare mirror the worker keeps per service (builds fetch into it; diffs read from it). */
export function mirrorPath(gitCacheDir: string, serviceId: string) {
  return path.join(gitCacheDir, `${serviceId}.git`);
}

/** Commits between two deployments, newest first, read from the service's mirror when it has them. */
export async function commitRange(gitCacheDir: string, serviceId: string, fromSha: string | null, toSha: string | null) {
  const mirror = mirrorPath(gitCacheDir, serviceId);
  if (!fromSha || !toSha || fromSha === toSha || !fs.existsSync(mirror)) return { messages: [], complete: fromSha === toSha };
  try {
    const { stdout } = await run('git', ['--git-dir', mirror, 'log', '--format=%H%x1f%s', '-n', '200', `${fromSha}..${toSha}`], { maxBuffer: 4 * 1024 * 1024 });
    const messages = stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => {
        const [sha, message] = l.split('\x1f');
        return { sha: sha!, message: message ?? '' };
      });
    return { messages, complete: true };
  } catch {
    return { messages: [], complete: false };
  }
}
