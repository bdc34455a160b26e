import fs from 'node:fs';
import os from 'node:os';
import type { SpawnSpec } from './spawn-spec.js';

interface PasswdEntry {
  name: string;
  uid: number;
  home: string;
  shell: string;
}

function passwdEntry(user: string): PasswdEntry | null {
  let text: string;
  try {
    text = fs.readFileSync('/etc/passwd', 'utf8');
  } catch {
    return null;
  }
  for (const line of text.split('\n')) {
    const f = line.split(':');
    if (f[0] === user && f.length >= 7) return { name: user, uid: Number(f[2]), home: f[5] || '/', shell: f[6] || '/bin/sh' };
  }
  return null;
}

function existing(...paths: string[]): string | null {
  for (const p of paths) if (fs.existsSync(p)) return p;
  return null;
}

/** Environment a login shell starts from: the terminal's own variables, nothing of the agent's secrets. */
export function baseTerminalEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {
    TERM: 'xterm-256color',
    COLORTERM: 'truecolor',
    LANG: process.env.LANG || 'C.UTF-8',
    PATH: process.env.PATH || '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
  };
  return { ...env, ...extra };
}

/**
 * Whether host shells read the user's startup files: `login` (what ssh gives) or `none` — an
 * interactive shell that reads no profile or rc file, for machines whose profiles are slow or take
 * locks (tests, and hosts where a profile hook such as `pyenv rehash` stalls every new shell).
 */
export type TerminalProfile = 'login' | 'none';

/** Interactive, with no startup files: bash and zsh have flags for it; POSIX sh reads only $ENV, which the terminal's environment leaves unset. */
function noProfileArgs(shell: string): string[] {
  const name = shell.split('/').pop() ?? '';
  if (name === 'bash') return ['--noprofile', '--norc', '-i'];
  if (name === 'zsh') return ['--no-rcs', '-i'];
  return ['-i'];
}

/**
 * A login shell for `user` (default: the agent's own user). When the agent runs as root and the
 * configured user is someone else, the shell is started through `runuser -l` (or `su -l`) so the
 * session gets that user's uid, groups, home and profile. With `profile: 'none'` the shell reads
 * no startup file (as that user, through `runuser -u`).
 */
export function hostShellSpec(opts: { user?: string | undefined; shell?: string | undefined; profile?: TerminalProfile | undefined }): SpawnSpec {
  const self = os.userInfo();
  const user = opts.user || self.username;
  const entry = passwdEntry(user);
  const login = opts.profile !== 'none';
  if (user !== self.username) {
    if (!entry) throw new Error(`unknown user "${user}"`);
    if (self.uid !== 0) throw new Error(`the agent is not root and cannot open a shell as "${user}"`);
    const runuser = existing('/usr/sbin/runuser', '/sbin/runuser');
    if (!login && runuser) {
      const shell = opts.shell || entry.shell;
      const env = baseTerminalEnv({ HOME: entry.home, USER: user, LOGNAME: user, SHELL: shell });
      return { file: runuser, args: ['-u', user, '--', shell, ...noProfileArgs(shell)], cwd: entry.home, env };
    }
    const env = baseTerminalEnv();
    if (runuser) return { file: runuser, args: ['-l', user, ...(opts.shell ? ['-s', opts.shell] : [])], cwd: entry.home, env };
    return { file: existing('/bin/su', '/usr/bin/su') ?? 'su', args: ['-l', user, ...(opts.shell ? ['-s', opts.shell] : [])], cwd: entry.home, env };
  }
  const shell = opts.shell || entry?.shell || process.env.SHELL || '/bin/sh';
  const home = entry?.home || self.homedir || '/';
  return {
    file: shell,
    args: login ? ['-l'] : noProfileArgs(shell),
    cwd: fs.existsSync(home) ? home : '/',
    env: baseTerminalEnv({ HOME: home, USER: user, LOGNAME: user, SHELL: shell }),
  };
}
