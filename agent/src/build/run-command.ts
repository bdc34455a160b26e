import { spawn } from 'node:child_process';
import type { BuildUser } from './build-user.js';

export type LineSink = (stream: 'build' | 'system', line: string) => void;

export class CommandError extends Error {}

export interface RunOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Run as this user (the agent is root); null: as the agent's own user. */
  user: BuildUser | null;
  signal?: AbortSignal | undefined;
  onLine?: LineSink;
  timeoutMs?: number;
  /** Print nothing of the command line in errors (it may carry a URL). */
  quiet?: boolean;
}

/**
 * Runs a command (argv) in its own process group, streaming each output line to `onLine`. The
 * environment is explicit and nothing is inherited: builds never see the agent's token, the
 * service's env values or anything of the control plane. Cancelling kills the whole group.
 */
export function runCommand(cmd: string, args: readonly string[], opts: RunOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    const ids = opts.user ? { uid: opts.user.uid, gid: opts.user.gid } : {};
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true, ...ids });
    let output = '';
    const partial = { stdout: '', stderr: '' };
    const onData = (which: 'stdout' | 'stderr') => (chunk: Buffer) => {
      const text = partial[which] + chunk.toString('utf8');
      const lines = text.split(/\r?\n/);
      partial[which] = lines.pop() ?? '';
      for (const line of lines) {
        if (output.length < 1_000_000) output += `${line}\n`;
        opts.onLine?.('build', line);
      }
    };
    child.stdout.on('data', onData('stdout'));
    child.stderr.on('data', onData('stderr'));
    const kill = () => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    };
    if (opts.signal?.aborted) kill();
    opts.signal?.addEventListener('abort', kill, { once: true });
    const timer = opts.timeoutMs ? setTimeout(kill, opts.timeoutMs) : null;
    child.on('error', (err) => reject(new CommandError(`${cmd}: ${err.message}`)));
    // What a step left running in its group (`cmd &`) ends with it: nothing of a build outlives it.
    child.on('exit', kill);
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      opts.signal?.removeEventListener('abort', kill);
      for (const rest of [partial.stdout, partial.stderr]) if (rest) opts.onLine?.('build', rest);
      if (opts.signal?.aborted) reject(new CommandError('cancelled'));
      else if (code === 0) resolve(output);
      else reject(new CommandError(`"${opts.quiet ? cmd : [cmd, ...args].join(' ').slice(0, 200)}" exited with ${code ?? signal}`));
    });
  });
}

const SYSTEM_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/**
 * The whole environment of a build step: a PATH (the system's, plus the directory of the node
 * running the agent), a HOME and npm cache inside the build directory, nothing else.
 */
export function buildEnv(home: string, nodeDir: string): NodeJS.ProcessEnv {
  return {
    PATH: SYSTEM_PATH.split(':').includes(nodeDir) ? SYSTEM_PATH : `${nodeDir}:${SYSTEM_PATH}`,
    HOME: home,
    LANG: 'C.UTF-8',
    CI: 'true',
    NODE_ENV: 'production',
    npm_config_cache: `${home}/.npm`,
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
    GIT_TERMINAL_PROMPT: '0',
  };
}
