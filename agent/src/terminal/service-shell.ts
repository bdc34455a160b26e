import fs from 'node:fs';
import { baseTerminalEnv } from './host-shell.js';
import type { ServiceShellProvider, SpawnSpec } from './spawn-spec.js';

/** The part of a running instance a service shell needs (the deploy manager's `Instance.spec`). */
export interface ServiceInstanceInfo {
  workdir: string | null;
  image: string | null;
  port: number;
  env: Record<string, string>;
}

/**
 * Service shells for the process runtime: an interactive shell in the release directory with the
 * service's environment (and its PORT), as the app itself sees it. Docker instances are entered
 * with `<engine> exec -it <container> sh` when the runtime tells us the container.
 */
export function serviceShellProvider(lookup: (serviceId: string) => (ServiceInstanceInfo & { container?: string | null }) | null, engine = 'docker'): ServiceShellProvider {
  return {
    async shellFor(serviceId, opts): Promise<SpawnSpec | null> {
      const info = lookup(serviceId);
      if (!info) return null;
      if (info.image) {
        if (!info.container) throw new Error('this runtime does not expose the container to exec into');
        return { file: engine, args: ['exec', '-it', info.container, opts.shell ?? 'sh'], cwd: '/', env: baseTerminalEnv() };
      }
      const shell = opts.shell ?? (fs.existsSync('/bin/bash') ? '/bin/bash' : '/bin/sh');
      const cwd = info.workdir && fs.existsSync(info.workdir) ? info.workdir : '/';
      return { file: shell, args: ['-i'], cwd, env: baseTerminalEnv({ ...info.env, PORT: String(info.port), HOME: process.env.HOME ?? cwd }) };
    },
  };
}
