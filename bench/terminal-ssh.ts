/**
 * The OpenSSH side of `npm run bench -- terminal`: a private sshd on loopback (openssh-server is
 * installed when missing) and interactive `ssh -tt` sessions to it.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort, sleep } from './support.js';

export async function waitPort(port: number, ms = 30_000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => (s.end(), resolve(true)));
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    await sleep(100);
  }
  throw new Error(`port ${port} did not open`);
}


function ensureOpenSsh() {
  if (fs.existsSync('/usr/sbin/sshd') && fs.existsSync('/usr/bin/ssh')) return;
  console.log('installing openssh-server and openssh-client (apt-get)…');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  let r = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'openssh-server', 'openssh-client'], { stdio: 'inherit', env });
  if (r.status !== 0) {
    spawnSync('apt-get', ['update'], { stdio: 'inherit', env });
    r = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'openssh-server', 'openssh-client'], { stdio: 'inherit', env });
  }
  if (r.status !== 0) throw new Error('could not install OpenSSH');
}

/** A private sshd on a free loopback port, with a temporary host key and authorized key under `tmp`. */
export async function startSshd(tmp: string, children: ChildProcess[]) {
  ensureOpenSsh();
  const dir = path.join(tmp, 'ssh');
  fs.mkdirSync(dir, { mode: 0o700 });
  fs.mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  for (const k of ['host_key', 'client_key']) spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(dir, k)], { stdio: 'inherit' });
  fs.copyFileSync(path.join(dir, 'client_key.pub'), path.join(dir, 'authorized_keys'));
  fs.chmodSync(path.join(dir, 'authorized_keys'), 0o600);
  const port = await freePort();
  fs.writeFileSync(
    path.join(dir, 'sshd_config'),
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${dir}/host_key`,
      `PidFile ${dir}/sshd.pid`,
      `AuthorizedKeysFile ${dir}/authorized_keys`,
      'PermitRootLogin yes',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      'StrictModes no',
      'LogLevel ERROR',
    ].join('\n') + '\n',
  );
  const sshd = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', path.join(dir, 'sshd_config')], { stdio: ['ignore', 'inherit', 'inherit'] });
  children.push(sshd);
  await waitPort(port);
  return { port, key: path.join(dir, 'client_key'), pid: sshd.pid! };
}

/** An interactive `ssh -tt` session: what a user of `ssh localhost` gets. */
export function sshSession(ssh: { port: number; key: string }, children: ChildProcess[]) {
  const user = os.userInfo().username;
  const child = spawn('ssh', ['-tt', '-p', String(ssh.port), '-i', ssh.key, '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'LogLevel=ERROR', '-o', 'BatchMode=yes', `${user}@127.0.0.1`, 'exec bash --norc --noprofile -i'], { stdio: ['pipe', 'pipe', 'inherit'] });
  children.push(child);
  let tail = '';
  let bytes = 0;
  let onData: ((d: Buffer) => void) | null = null;
  child.stdout!.on('data', (d: Buffer) => {
    bytes += d.byteLength;
    tail = (tail + d.toString('latin1')).slice(-4096);
    onData?.(d);
  });
  return {
    pid: child.pid!,
    type: (s: string) => child.stdin!.write(s),
    get tail() {
      return tail;
    },
    get bytes() {
      return bytes;
    },
    setOnData: (f: ((d: Buffer) => void) | null) => (onData = f),
    close: () => child.kill('SIGTERM'),
  };
}
