import { type ChildProcess, spawn } from 'node:child_process';
import type { ServiceUsage } from '@syntra/shared';
import type { Instance, InstanceRuntime, InstanceSpec } from './instance.js';
import { lineSplitter } from './line-splitter.js';
import { GroupSampler } from './proc-usage.js';
import { StaticSiteInstance, STATIC_COMMAND } from './static-site.js';

export interface SupervisorOptions {
  /** First restart delay; doubles per crash up to `maxBackoffMs`; resets after `stableMs` of uptime. */
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  stableMs?: number;
}

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
    private readonly opts: Required<SupervisorOptions>,
  ) {}

  get port() {
    return this.spec.port;
  }

  start() {
    const spec = this.spec;
    this.startedAt = Date.now();
    // Its own process group: stop/kill reach the shell and everything it started (npm → node).
    const child = spawn('sh', ['-c', spec.startCommand!], { cwd: spec.workdir ?? undefined, env: childEnv(spec), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
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
    if (!child?.pid) return;
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
  }
}

/** The `process` runtime: start commands run as supervised children; `syntra-static` is served in-process. */
export class ProcessInstanceRuntime implements InstanceRuntime {
  readonly kind = 'process' as const;
  private readonly opts: Required<SupervisorOptions>;

  constructor(opts: SupervisorOptions = {}) {
    this.opts = { baseBackoffMs: opts.baseBackoffMs ?? 1000, maxBackoffMs: opts.maxBackoffMs ?? 30_000, stableMs: opts.stableMs ?? 60_000 };
  }

  async start(spec: InstanceSpec): Promise<Instance> {
    if (!spec.workdir) throw new Error('the process runtime needs a release directory (a tarball artifact)');
    if (!spec.startCommand) throw new Error('missing start command');
    if (spec.startCommand.trim().startsWith(STATIC_COMMAND)) {
      const site = new StaticSiteInstance(spec);
      await site.start();
      return site;
    }
    const p = new SupervisedProcess(spec, this.opts);
    p.start();
    return p;
  }
}
