import fs from 'node:fs';
import path from 'node:path';
import { baseTerminalEnv } from './host-shell.js';
import type { ServiceShellProvider, SpawnSpec } from './spawn-spec.js';

/** The part of a running instance a service shell needs (the deploy manager's `Instance.spec`). */
export interface ServiceInstanceInfo {
  workdir: string | null;
  image: string | null;
  port: number;
  env: Record<string, string>;
}

/** How to run `exec -it` in a container: the CLI of the engine the runtime uses. */
export interface ContainerExec {
  file: string;
  /** Arguments before `exec` (e.g. `-H unix:///run/podman.sock`). */
  baseArgs: string[];
}

function onPath(name: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    const file = path.join(dir, name);
    if (dir && fs.existsSync(file)) return file;
  }
  return null;
}

/**
 * The exec CLI for the agent's container engine: `docker -H <socket>` when a Docker CLI is
 * installed, else `podman` (which shares its containers with podman's API socket). Null: none.
 */
export function containerExecFor(socket: string | null): ContainerExec | null {
  const docker = onPath('docker');
  if (docker) return { file: docker, baseArgs: socket ? ['-H', `unix://${socket}`] : [] };
  const podman = onPath('podman');
  if (podman) return { file: podman, baseArgs: [] };
  return null;
}

/**
 * Service shells for the process runtime: an interactive shell in the release directory with the
 * service's environment (and its PORT), as the app itself sees it. Docker instances are entered
 * with `<engine> exec -it <container> sh` when the runtime tells us the container.
 */
export function serviceShellProvider(lookup: (serviceId: string) => (ServiceInstanceInfo & { container?: string | null }) | null, exec: ContainerExec | null = null): ServiceShellProvider {
  return {
    async shellFor(serviceId, opts): Promise<SpawnSpec | null> {
      const info = lookup(serviceId);
      if (!info) return null;
      if (info.image) {
        if (!info.container) throw new Error('this runtime does not expose the container to exec into');
        if (!exec) throw new Error('no docker or podman CLI on this server to exec into the container');
        return { file: exec.file, args: [...exec.baseArgs, 'exec', '-it', info.container, opts.shell ?? 'sh'], cwd: '/', env: baseTerminalEnv({ HOME: process.env.HOME ?? '/root' }) };
      }
      const shell = opts.shell ?? (fs.existsSync('/bin/bash') ? '/bin/bash' : '/bin/sh');
      const cwd = info.workdir && fs.existsSync(info.workdir) ? info.workdir : '/';
      return { file: shell, args: ['-i'], cwd, env: baseTerminalEnv({ ...info.env, PORT: String(info.port), HOME: process.env.HOME ?? cwd }) };
    },
  };
}
