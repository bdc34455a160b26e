import fs from 'node:fs';
import path from 'node:path';

const CPU_PERIOD_US = 100_000;

/** A cgroup (v2) or a pair of memory/cpu cgroups (v1) holding one instance's process tree. */
export interface LimitGroup {
  /** `cgroup.procs` files the instance's shell writes its own pid into before exec'ing the app. */
  procsFiles: string[];
  /** Removes the group(s); the processes must be gone. */
  remove(): void;
}

export interface CgroupLimiter {
  readonly version: 1 | 2;
  create(name: string, limits: { cpuNanos?: number | undefined; memoryBytes?: number | undefined }): LimitGroup;
}

const write = (file: string, value: string) => fs.writeFileSync(file, value);
/** Idempotent: a retried removal skips what is already gone. */
const rmdirIfPresent = (dir: string) => {
  try {
    fs.rmdirSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
};
const writable = (dir: string) => {
  try {
    fs.accessSync(dir, fs.constants.W_OK);
    return fs.existsSync(path.join(dir, 'cgroup.procs'));
  } catch {
    return false;
  }
};

/** cgroup v2: one group under <root>/syntra with the memory and cpu controllers delegated to it. */
function v2(root: string): CgroupLimiter | null {
  const base = path.join(root, 'syntra');
  try {
    const available = fs.readFileSync(path.join(root, 'cgroup.controllers'), 'utf8');
    if (!/\bmemory\b/.test(available) || !/\bcpu\b/.test(available)) return null;
    // Fails (EBUSY) when the root holds processes and is not the real root: then limits cannot apply.
    write(path.join(root, 'cgroup.subtree_control'), '+memory +cpu');
    fs.mkdirSync(base, { recursive: true });
    write(path.join(base, 'cgroup.subtree_control'), '+memory +cpu');
  } catch {
    return null;
  }
  return {
    version: 2,
    create(name, limits) {
      const dir = path.join(base, name);
      fs.mkdirSync(dir, { recursive: true });
      if (limits.memoryBytes) {
        write(path.join(dir, 'memory.max'), String(limits.memoryBytes));
        try {
          write(path.join(dir, 'memory.swap.max'), '0');
        } catch {
          /* no swap accounting: memory.max still bounds RAM */
        }
      }
      if (limits.cpuNanos) write(path.join(dir, 'cpu.max'), `${Math.max(1000, Math.round((limits.cpuNanos / 1e9) * CPU_PERIOD_US))} ${CPU_PERIOD_US}`);
      return { procsFiles: [path.join(dir, 'cgroup.procs')], remove: () => rmdirIfPresent(dir) };
    },
  };
}

/** cgroup v1: a group in the memory hierarchy and one in the cpu hierarchy. */
function v1(root: string): CgroupLimiter | null {
  const memRoot = path.join(root, 'memory');
  const cpuRoot = path.join(root, 'cpu');
  if (!writable(memRoot) || !writable(cpuRoot)) return null;
  return {
    version: 1,
    create(name, limits) {
      const dirs: string[] = [];
      if (limits.memoryBytes) {
        const dir = path.join(memRoot, 'syntra', name);
        fs.mkdirSync(dir, { recursive: true });
        dirs.push(dir);
        write(path.join(dir, 'memory.limit_in_bytes'), String(limits.memoryBytes));
        try {
          // RAM + swap at the same bound: the limit is not dodged by swapping.
          write(path.join(dir, 'memory.memsw.limit_in_bytes'), String(limits.memoryBytes));
        } catch {
          /* kernel without swap accounting */
        }
      }
      if (limits.cpuNanos) {
        const dir = path.join(cpuRoot, 'syntra', name);
        fs.mkdirSync(dir, { recursive: true });
        dirs.push(dir);
        write(path.join(dir, 'cpu.cfs_period_us'), String(CPU_PERIOD_US));
        write(path.join(dir, 'cpu.cfs_quota_us'), String(Math.max(1000, Math.round((limits.cpuNanos / 1e9) * CPU_PERIOD_US))));
      }
      return { procsFiles: dirs.map((d) => path.join(d, 'cgroup.procs')), remove: () => dirs.forEach(rmdirIfPresent) };
    },
  };
}

/**
 * What this host lets the agent enforce on supervised processes: cgroup v2 when its memory and cpu
 * controllers can be delegated to a `syntra` group, else writable cgroup v1 memory/cpu hierarchies
 * (both need root or a delegated subtree), else nothing (null).
 */
export function detectCgroupLimiter(root = '/sys/fs/cgroup'): CgroupLimiter | null {
  if (fs.existsSync(path.join(root, 'cgroup.controllers'))) return v2(root);
  return v1(root);
}
