import { spawn } from 'node:child_process';

export type LineSink = (stream: 'build' | 'system', line: string) => void;

export class CommandError extends Error {}

/**
 * Runs a command (argv, or a shell line when `shell`), streaming each output line to `onLine`.
 * The environment is explicit: builds never see the service's env values or Syntra's own secrets.
 */
export function runCommand(
  cmd: string,
  args: readonly string[],
  opts: { cwd: string; env: NodeJS.ProcessEnv; signal?: AbortSignal | undefined; onLine?: LineSink; timeoutMs?: number },
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
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
    opts.signal?.addEventListener('abort', kill, { once: true });
    const timer = opts.timeoutMs ? setTimeout(kill, opts.timeoutMs) : null;
    child.on('error', (err) => reject(new CommandError(`${cmd}: ${err.message}`)));
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      opts.signal?.removeEventListener('abort', kill);
      for (const rest of [partial.stdout, partial.stderr]) if (rest) opts.onLine?.('build', rest);
      if (opts.signal?.aborted) reject(new CommandError('cancelled'));
      else if (code === 0) resolve(output);
      else reject(new CommandError(`"${[cmd, ...args].join(' ').slice(0, 200)}" exited with ${code ?? signal}`));
    });
  });
}

/** The environment builds run with: a PATH and a private HOME/npm cache, nothing else. */
export function buildEnv(home: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
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
