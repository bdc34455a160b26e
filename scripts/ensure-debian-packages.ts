// Installs the Debian packages some tests need when their binaries are missing (a fresh CI machine
// has none of them): podman + runc + busybox-static for the docker runtime tests, OpenSSH for git over ssh. Best effort: a
// machine without apt-get or root keeps going, and those tests print why they skip.
import { spawnSync } from 'node:child_process';

const NEEDED: ReadonlyArray<{ bin: string; pkg: string }> = [
  { bin: 'git', pkg: 'git' },
  { bin: 'podman', pkg: 'podman' },
  { bin: 'runc', pkg: 'runc' },
  { bin: 'busybox', pkg: 'busybox-static' },
  { bin: 'ssh-keygen', pkg: 'openssh-client' },
  { bin: '/usr/sbin/sshd', pkg: 'openssh-server' },
];

const has = (bin: string) => spawnSync('sh', ['-c', `command -v ${bin}`]).status === 0;

export function ensureDebianPackages(): void {
  const missing = NEEDED.filter((n) => !has(n.bin)).map((n) => n.pkg);
  if (!missing.length) return;
  if (!has('apt-get') || process.getuid?.() !== 0) {
    console.warn(`Not installing ${missing.join(', ')} (needs apt-get as root); tests that need them will skip.`);
    return;
  }
  console.log(`Installing ${missing.join(', ')} (apt-get)…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  let r = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', ...missing], { stdio: 'inherit', env });
  if (r.status !== 0) {
    spawnSync('apt-get', ['update'], { stdio: 'inherit', env });
    r = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', ...missing], { stdio: 'inherit', env });
  }
  if (r.status !== 0) console.warn(`apt-get could not install ${missing.join(', ')}; tests that need them will skip.`);
}
