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
 * A login shell for `user` (default: the agent's own user). When the agent runs as root and the
 * configured user is someone else, the shell is started through `runuser -l` (or `su -l`) so the
 * session gets that user's uid, groups, home and profile.
 */
export function hostShellSpec(opts: { user?: string | undefined; shell?: string | undefined }): SpawnSpec {
  const self = os.userInfo();
  const user = opts.user || self.username;
  const entry = passwdEntry(user);
  if (user !== self.username) {
    if (!entry) throw new Error(`unknown user "${user}"`);
    if (self.uid !== 0) throw new Error(`the agent is not root and cannot open a shell as "${user}"`);
    const runuser = existing('/usr/sbin/runuser', '/sbin/runuser');
    const env = baseTerminalEnv();
    if (runuser) return { file: runuser, args: ['-l', user, ...(opts.shell ? ['-s', opts.shell] : [])], cwd: entry.home, env };
    return { file: existing('/bin/su', '/usr/bin/su') ?? 'su', args: ['-l', user, ...(opts.shell ? ['-s', opts.shell] : [])], cwd: entry.home, env };
  }
  const shell = opts.shell || entry?.shell || process.env.SHELL || '/bin/sh';
  const home = entry?.home || self.homedir || '/';
  return {
    file: shell,
    args: ['-l'],
    cwd: fs.existsSync(home) ? home : '/',
    env: baseTerminalEnv({ HOME: home, USER: user, LOGNAME: user, SHELL: shell }),
  };
}
