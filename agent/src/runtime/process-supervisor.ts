import { type ChildProcess, spawn } from 'node:child_process';
import type { ServiceUsage } from '@syntra/shared';
import { type CgroupLimiter, detectCgroupLimiter, type LimitGroup } from './cgroup-limits.js';
import type { Instance, InstanceRuntime, InstanceSpec } from './instance.js';
import { parseLimits } from './limits.js';
import { lineSplitter } from './line-splitter.js';
import { GroupSampler } from './proc-usage.js';
import { StaticSiteInstance, STATIC_COMMAND } from './static-site.js';

export interface SupervisorOptions {
  /** First restart delay; doubles per crash up to `maxBackoffMs`; resets after `stableMs` of uptime. */
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  stableMs?: number;
  /** Where cgroups are (tests point it elsewhere); null: never use cgroups. */
  cgroupRoot?: string | null;
}

/**
 * Runs the start command after the shell has put itself into the instance's cgroup(s): everything
 * the app starts is inside from its first instruction, with no window outside the limits.
 */
const ENTER_GROUPS_THEN_EXEC = 'cmd=$0; for f in "$@"; do echo $$ > "$f" || exit 125; done; exec sh -c "$cmd"';

/** Keeps the process environment minimal: the service's own env, PORT, and a PATH. */
function childEnv(spec: InstanceSpec): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    HOME: spec.workdir ?? '/tmp',
    LANG: 'C.UTF-8',
    NODE_ENV: 'production',
    ...spec.env,
    PORT: String(spec.port),
    HOST: '127.0.0.1',
    SYNTRA_SERVICE_ID: spec.serviceId,
    SYNTRA_DEPLOYMENT_ID: spec.deploymentId,
  };
}

/** A child process (its own process group) restarted with exponential backoff when it exits on its own. */
export class SupervisedProcess implements Instance {
  readonly host = '127.0.0.1';
  private child: ChildProcess | null = null;
  private stopping = false;
  private crashes = 0;
  private restartCount = 0;
  private startedAt = 0;
  private timer: NodeJS.Timeout | null = null;
  private exited: Promise<void> = Promise.resolve();

  constructor(
    readonly spec: InstanceSpec,
    private readonly opts: Required<Omit<SupervisorOptions, 'cgroupRoot'>>,
    private readonly group: LimitGroup | null = null,
  ) {}

  get port() {
    return this.spec.port;
  }

  start() {
    const spec = this.spec;
    this.startedAt = Date.now();
    // Its own process group: stop/kill reach the shell and everything it started (npm → node).
    const args = this.group ? ['-c', ENTER_GROUPS_THEN_EXEC, spec.startCommand!, ...this.group.procsFiles] : ['-c', spec.startCommand!];
    const child = spawn('sh', args, { cwd: spec.workdir ?? undefined, env: childEnv(spec), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    this.child = child;
    const out = lineSplitter((l) => spec.onLog('stdout', l));
    const err = lineSplitter((l) => spec.onLog('stderr', l));
    child.stdout!.on('data', (c: Buffer) => out.push(c));
    child.stderr!.on('data', (c: Buffer) => err.push(c));
    this.exited = new Promise((resolve) => {
      child.once('error', (e) => spec.onLog('system', `could not start: ${e.message}`));
      child.once('close', (code, signal) => {
        out.end();
        err.end();
        if (this.child === child) this.child = null;
        resolve();
        if (this.stopping) return;
        spec.onLog('system', `process exited (${code ?? signal}); restarting`);
        this.scheduleRestart();
      });
    });
  }

  private scheduleRestart() {
    if (Date.now() - this.startedAt > this.opts.stableMs) this.crashes = 0;
    const delay = Math.min(this.opts.maxBackoffMs, this.opts.baseBackoffMs * 2 ** this.crashes);
    this.crashes += 1;
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.stopping) return;
      this.restartCount += 1;
      this.start();
    }, delay);
  }

  state(): ServiceUsage['state'] {
    if (this.stopping) return 'stopped';
    if (this.child) return 'running';
    return this.timer ? 'crashed' : 'starting';
  }

  restarts() {
    return this.restartCount;
  }

  pid() {
    return this.child?.pid ?? null;
  }

  private readonly sampler = new GroupSampler();

  /** The whole process group (sh → npm → node …) counts. */
  usage() {
    return this.sampler.sample(this.pid());
  }

  async stop(timeoutMs: number) {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    const child = this.child;
    if (!child?.pid) return await this.removeGroup();
    const signal = (sig: NodeJS.Signals) => {
      try {
        process.kill(-child.pid!, sig);
      } catch {
        /* already gone */
      }
    };
    signal('SIGTERM');
    const kill = setTimeout(() => signal('SIGKILL'), timeoutMs);
    await this.exited;
    clearTimeout(kill);
    await this.removeGroup();
  }

  /** Killed children may still be unreaped for a moment (the group is busy until they are); retried briefly. */
  private async removeGroup() {
    for (let attempt = 0; this.group && attempt < 20; attempt += 1) {
      try {
        return this.group.remove();
      } catch {
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  }
}

/** The `process` runtime: start commands run as supervised children; `syntra-static` is served in-process. */
export class ProcessInstanceRuntime implements InstanceRuntime {
  readonly kind = 'process' as const;
  private readonly opts: Required<Omit<SupervisorOptions, 'cgroupRoot'>>;
  readonly cgroups: CgroupLimiter | null;

  constructor(opts: SupervisorOptions = {}) {
    this.opts = { baseBackoffMs: opts.baseBackoffMs ?? 1000, maxBackoffMs: opts.maxBackoffMs ?? 30_000, stableMs: opts.stableMs ?? 60_000 };
    this.cgroups = opts.cgroupRoot === null ? null : detectCgroupLimiter(opts.cgroupRoot);
  }

  async start(spec: InstanceSpec): Promise<Instance> {
    if (!spec.workdir) throw new Error('the process runtime needs a release directory (a tarball artifact)');
    if (!spec.startCommand) throw new Error('missing start command');
    if (spec.startCommand.trim().startsWith(STATIC_COMMAND)) {
      const site = new StaticSiteInstance(spec);
      await site.start();
      return site;
    }
    const limited = this.applyLimits(spec);
    const p = new SupervisedProcess(limited.spec, this.opts, limited.group);
    p.start();
    return p;
  }

  /**
   * CPU and memory limits of a supervised process. What is enforced depends on the host:
   * - cgroups writable (root, or a delegated v2 subtree): memory is a hard bound on the whole process
   *   tree (RAM, and swap where accounted; the kernel OOM-kills past it and the supervisor restarts the
   *   app), CPU is a CFS quota (throttled to `cpu` cores);
   * - otherwise: memory only as Node's heap cap (NODE_OPTIONS --max-old-space-size at 75 % of the
   *   limit), which bounds Node apps' JS heap but not buffers, native memory or non-Node programs;
   *   CPU is not enforced. RLIMIT_AS (`prlimit --as`) is not used: V8 reserves far more address space
   *   than it uses, so any realistic bound stops Node from starting.
   * The static-site server runs inside the agent and is never limited.
   */
  private applyLimits(spec: InstanceSpec): { spec: InstanceSpec; group: LimitGroup | null } {
    const { NanoCpus: cpuNanos, Memory: memoryBytes } = parseLimits(spec.limits);
    if (!cpuNanos && !memoryBytes) return { spec, group: null };
    if (this.cgroups) {
      try {
        const name = `${spec.serviceId.slice(0, 8)}-${spec.deploymentId.slice(0, 8)}-${spec.port}`;
        const group = this.cgroups.create(name, { cpuNanos, memoryBytes });
        spec.onLog('system', `limits enforced by cgroup v${this.cgroups.version}: ${[spec.limits.cpu && `cpu ${spec.limits.cpu}`, spec.limits.memory && `memory ${spec.limits.memory}`].filter(Boolean).join(', ')}`);
        return { spec, group };
      } catch (err) {
        spec.onLog('system', `could not create a cgroup (${(err as Error).message}); falling back to what needs no cgroup`);
      }
    }
    if (!memoryBytes) {
      spec.onLog('system', 'cpu limit not enforced: this host gives the agent no writable cgroup');
      return { spec, group: null };
    }
    const heapMb = Math.max(16, Math.floor((memoryBytes / 1024 ** 2) * 0.75));
    const nodeOptions = [spec.env.NODE_OPTIONS, `--max-old-space-size=${heapMb}`].filter(Boolean).join(' ');
    spec.onLog('system', `no writable cgroup: memory limited only as Node's heap (${heapMb} MB)${cpuNanos ? '; cpu limit not enforced' : ''}`);
    return { spec: { ...spec, env: { ...spec.env, NODE_OPTIONS: nodeOptions } }, group: null };
  }
}
