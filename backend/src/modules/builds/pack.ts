import { runCommand } from './run-command.js';

/** Packs a built directory (without .git) into a gzip tarball for the process runtime. */
export async function packTarball(dir: string, out: string, env: NodeJS.ProcessEnv, signal?: AbortSignal): Promise<void> {
  await runCommand('tar', ['-czf', out, '--exclude=./.git', '-C', dir, '.'], { cwd: dir, env, signal });
}
