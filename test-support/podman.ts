// Podman for the backend's and the agent's container tests, written once (a tsconfig project both
// test trees reference; it is test code, so it lives outside shared/src, which may not import node).
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const BASE_IMAGE = 'localhost/syntra-busybox:latest';

const CONTAINERS_CONF = `[containers]
default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
`;

export type Podman = { socket: string; stop(): Promise<void> } | { skip: string };

function which(bin: string) {
  try {
    return execFileSync('sh', ['-c', `command -v ${bin}`], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}

/**
 * A private `podman system service` (Docker-compatible API) for the docker runtime tests, plus a
 * local busybox base image (no registry is reachable). Returns a reason to skip when podman,
 * runc or busybox are not installed (scripts/run-tests.ts installs them on Debian).
 */
export async function startPodman(dir: string): Promise<Podman> {
  for (const bin of ['podman', 'runc', 'busybox']) if (!which(bin)) return { skip: `${bin} is not installed` };
  const conf = path.join(dir, 'containers.conf');
  fs.writeFileSync(conf, CONTAINERS_CONF);
  const env = { ...process.env, CONTAINERS_CONF: conf };
  try {
    execFileSync('podman', ['image', 'exists', BASE_IMAGE], { env });
  } catch {
    const rootfs = path.join(dir, 'rootfs');
    fs.mkdirSync(path.join(rootfs, 'bin'), { recursive: true });
    fs.mkdirSync(path.join(rootfs, 'tmp'));
    fs.copyFileSync(which('busybox')!, path.join(rootfs, 'bin', 'busybox'));
    fs.chmodSync(path.join(rootfs, 'bin', 'busybox'), 0o755);
    for (const cmd of ['sh', 'httpd', 'ls', 'cat', 'echo', 'sleep', 'false', 'true']) fs.symlinkSync('busybox', path.join(rootfs, 'bin', cmd));
    execFileSync('tar', ['-C', rootfs, '-cf', path.join(dir, 'rootfs.tar'), '.']);
    execFileSync('podman', ['import', path.join(dir, 'rootfs.tar'), BASE_IMAGE], { env, stdio: 'ignore' });
  }
  const socket = path.join(dir, 'podman.sock');
  const child: ChildProcess = spawn('podman', ['system', 'service', '--time=0', `unix://${socket}`], { env, stdio: 'ignore' });
  const deadline = Date.now() + 15_000;
  while (!fs.existsSync(socket)) {
    if (Date.now() > deadline || child.exitCode !== null) {
      child.kill('SIGKILL');
      return { skip: 'podman system service did not start' };
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    socket,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export const NODE_BASE_IMAGE = 'localhost/syntra-node:latest';

/**
 * A local stand-in for `node:20-slim` (no registry here): busybox plus this machine's `node` binary
 * and the shared libraries `ldd` lists, imported with `podman import`. It has no npm, so apps built
 * on it must have no dependencies to install.
 */
export function ensureNodeBaseImage(dir: string) {
  const env = { ...process.env, CONTAINERS_CONF: path.join(dir, 'containers.conf') };
  try {
    execFileSync('podman', ['image', 'exists', NODE_BASE_IMAGE], { env });
    return;
  } catch {
    /* build it below */
  }
  const rootfs = path.join(dir, 'node-rootfs');
  for (const d of ['bin', 'tmp', 'usr/bin']) fs.mkdirSync(path.join(rootfs, d), { recursive: true });
  fs.copyFileSync(which('busybox')!, path.join(rootfs, 'bin', 'busybox'));
  fs.chmodSync(path.join(rootfs, 'bin', 'busybox'), 0o755);
  for (const cmd of ['sh', 'httpd', 'ls', 'cat', 'echo', 'sleep']) fs.symlinkSync('busybox', path.join(rootfs, 'bin', cmd));
  const node = fs.realpathSync(process.execPath);
  const libs = execFileSync('ldd', [node], { encoding: 'utf8' })
    .split('\n')
    .map((l) => /(\/\S+) \(0x/.exec(l)?.[1])
    .filter((l): l is string => !!l);
  for (const file of [node, ...libs]) {
    const dest = path.join(rootfs, file === node ? 'usr/bin/node' : file);
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    fs.copyFileSync(fs.realpathSync(file), dest);
    fs.chmodSync(dest, 0o755);
  }
  execFileSync('tar', ['-C', rootfs, '-cf', path.join(dir, 'node-rootfs.tar'), '.']);
  execFileSync('podman', ['import', '--change', 'ENV PATH=/usr/bin:/bin', path.join(dir, 'node-rootfs.tar'), NODE_BASE_IMAGE], { env, stdio: 'ignore' });
}
