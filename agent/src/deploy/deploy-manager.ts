import fs from 'node:fs';
import path from 'node:path';
import { type Deploy, DeploySchema, type DeployStatus, type ServiceUsage, type Stop } from '@syntra/shared';
import { type EdgeProxy, Upstream } from '../edge/index.js';
import type { Instance, InstanceRuntime } from '../runtime/instance.js';
import { freePort } from '../runtime/ports.js';
import { fetchAndUnpack, fetchVerified } from './artifact-fetch.js';
import { type ProbeResult, waitHealthy } from './health-check.js';
import { HealthMonitor } from './health-monitor.js';
import { type BatchedLine, LogBatcher } from './log-batcher.js';

export interface DeploySender {
  deployStatus(payload: DeployStatus): void;
  logStream(payload: { service_id: string; deployment_id: string | null; lines: BatchedLine[] }): void;
  /** Health-check results (deploy gates and periodic checks), stored by the control plane in health_checks. */
  healthResult?(serviceId: string, result: ProbeResult, at: Date): void;
}

export interface DeployManagerOptions {
  /** The control plane's base URL and this agent's token (artifact downloads). */
  baseUrl: string;
  token: string;
  dataDir: string;
  /** Runs tarball artifacts (supervised processes). */
  runtime: InstanceRuntime;
  /** Runs image artifacts, when this server has a Docker-compatible engine. */
  imageRuntime?: InstanceRuntime | null;
  edge: EdgeProxy;
  sender: DeploySender;
  drainTimeoutMs?: number;
  stopTimeoutMs?: number;
  /** Upper bound of the pause between failed deploy-gate probes (the service's interval is for monitoring). */
  maxProbeIntervalMs?: number;
  bootGraceMs?: number;
}

interface Active {
  deploymentId: string;
  frame: Deploy;
  /** One per replica. */
  instances: Instance[];
  upstream: Upstream;
  monitor: HealthMonitor | null;
}

const MAX_REPLICAS = 16;

/** A restart refused for a reason the control plane shows (its code reaches the command's error). */
export class RestartError extends Error {
  constructor(
    readonly code: 'not_running' | 'health_check_failed',
    message: string,
  ) {
    super(message);
  }
}

/**
 * Runs deploys on this host: fetch the artifact, start the new version beside the old one on a
 * fresh port, health-check it, switch the edge atomically, drain in-flight requests, stop the old
 * version. A failed health check stops only the new instance: the old one keeps serving.
 * Deploys of one service run one at a time; a redelivered deploy is answered from what is known.
 */
export class DeployManager {
  private readonly active = new Map<string, Active>();
  private readonly chains = new Map<string, Promise<void>>();
  private readonly outcomes = new Map<string, DeployStatus>();
  private readonly inProgress = new Set<string>();
  private readonly logs: LogBatcher;
  private readonly stateFile: string;

  constructor(private readonly o: DeployManagerOptions) {
    this.logs = new LogBatcher((b) => o.sender.logStream(b));
    this.stateFile = path.join(o.dataDir, 'deploy', 'state.json');
  }

  /** Queues a deploy behind any other deploy of the same service. */
  handleDeploy(frame: Deploy): Promise<void> {
    if (this.inProgress.has(frame.deployment_id)) return Promise.resolve();
    const known = this.outcomes.get(frame.deployment_id);
    if (known) {
      this.o.sender.deployStatus({ ...known, request_id: frame.request_id });
      return Promise.resolve();
    }
    this.inProgress.add(frame.deployment_id);
    return this.serial(frame.service_id, () => this.deploy(frame).finally(() => this.inProgress.delete(frame.deployment_id)));
  }

  handleStop(frame: Stop): Promise<void> {
    return this.serial(frame.service_id, async () => {
      const current = this.active.get(frame.service_id);
      this.active.delete(frame.service_id);
      await this.o.edge.remove(frame.service_id);
      if (current) {
        current.monitor?.stop();
        await Promise.all(current.instances.map((i) => i.stop(frame.timeout_seconds * 1000)));
        current.upstream.close();
      }
      await this.saveState();
    });
  }

  /** Heartbeat view of the services this agent runs. */
  services(): ServiceUsage[] {
    return [...this.active.values()].map((a) => {
      const states = a.instances.map((i) => i.state());
      return {
        service_id: a.frame.service_id,
        deployment_id: a.deploymentId,
        // The service is as healthy as its least healthy replica; failing its health check counts as not running.
        state: states.find((st) => st !== 'running') ?? (a.instances.every((i) => a.monitor?.isHealthy(i) ?? true) ? 'running' : 'unknown'),
        restarts: a.instances.reduce((n, i) => n + i.restarts(), 0),
        ...sumUsage(a.instances.map((i) => i.usage?.() ?? { cpu_percent: 0, memory_mb: 0 })),
      };
    });
  }

  instance(serviceId: string): Instance | null {
    return this.active.get(serviceId)?.instances[0] ?? null;
  }

  currentDeployment(serviceId: string): string | null {
    return this.active.get(serviceId)?.deploymentId ?? null;
  }

  /** After an agent restart: start again what was serving before (desired state kept on disk). */
  async restore(): Promise<void> {
    let state: unknown;
    try {
      state = JSON.parse(await fs.promises.readFile(this.stateFile, 'utf8'));
    } catch {
      return;
    }
    // A damaged state file (a crash mid-write, a hand edit) must not keep the agent from starting:
    // each entry is checked like the frame it was, and what does not parse is skipped.
    if (state === null || typeof state !== 'object') return;
    for (const entry of Object.values(state)) {
      const frame = DeploySchema.safeParse(entry);
      if (frame.success) await this.handleDeploy(frame.data);
    }
  }

  async close(stopInstances = true) {
    this.logs.close();
    await Promise.all([...this.chains.values()].map((c) => c.catch(() => undefined)));
    for (const a of this.active.values()) a.monitor?.stop();
    // All at once, and briefly: the agent's own shutdown must finish before its supervisor gives up.
    if (stopInstances) await Promise.all([...this.active.values()].flatMap((a) => a.instances.map((i) => i.stop(Math.min(this.o.stopTimeoutMs ?? 10_000, 5_000)).catch(() => undefined))));
    for (const a of this.active.values()) a.upstream.close();
    this.active.clear();
  }

  private serial(serviceId: string, fn: () => Promise<void>): Promise<void> {
    const next = (this.chains.get(serviceId) ?? Promise.resolve()).then(fn, fn);
    const settled = next.catch(() => undefined);
    this.chains.set(serviceId, settled);
    void settled.then(() => {
      if (this.chains.get(serviceId) === settled) this.chains.delete(serviceId);
    });
    return next;
  }

  private status(frame: Deploy, status: DeployStatus['status'], message: string | null, started: number) {
    const payload: DeployStatus = { request_id: frame.request_id, deployment_id: frame.deployment_id, status, message, duration_ms: Date.now() - started };
    if (status === 'running' || status === 'failed') this.outcomes.set(frame.deployment_id, payload);
    this.logs.flush();
    this.o.sender.deployStatus(payload);
  }

  private async deploy(frame: Deploy) {
    const started = Date.now();
    const sys = (line: string) => this.logs.add(frame.service_id, frame.deployment_id, 'system', line);
    const current = this.active.get(frame.service_id);
    if (current?.deploymentId === frame.deployment_id) return this.status(frame, 'running', 'already running', started);
    const instances: Instance[] = [];
    const stopAll = () => Promise.all(instances.map((i) => i.stop(this.o.stopTimeoutMs ?? 10_000).catch(() => undefined)));
    try {
      const release = path.join(this.o.dataDir, 'releases', frame.service_id, frame.deployment_id);
      let workdir: string | null = null;
      let image: string | null = null;
      if (frame.artifact.kind === 'tarball') {
        this.status(frame, 'pulling', null, started);
        await fetchAndUnpack({ url: frame.artifact.url!, digest: frame.artifact.digest, token: this.o.token, cacheDir: path.join(this.o.dataDir, 'artifacts'), dest: release });
        workdir = release;
      } else {
        if (!this.o.imageRuntime) throw new Error('image artifacts need a Docker-compatible engine on this server (set SYNTRA_DOCKER_SOCKET for the agent)');
        image = frame.artifact.ref ?? null;
        if (!image) throw new Error('the deploy names no image');
        const url = frame.artifact.url;
        const loader = url ? () => fetchVerified({ url, digest: frame.artifact.digest, token: this.o.token, cacheDir: path.join(this.o.dataDir, 'artifacts'), name: `${frame.deployment_id}.image.tar` }) : null;
        if (this.o.imageRuntime.ensureImage) {
          this.status(frame, 'pulling', null, started);
          if ((await this.o.imageRuntime.ensureImage(image, loader)) === 'loaded') sys(`image ${image} loaded from its archive`);
        }
      }
      this.status(frame, 'starting', null, started);
      instances.push(...(await this.startInstances(frame, workdir, image, sys)));
      this.status(frame, 'health_checking', null, started);
      const failed = await this.gate(frame, instances, sys);
      if (failed) {
        await stopAll();
        const serving = current ? `; ${current.deploymentId.slice(0, 8)} keeps serving` : '';
        return this.status(frame, 'failed', `Health check failed${serving}:\n${failed.slice(-10).join('\n')}`, started);
      }
      const previous = await this.switchTo(frame, instances);
      const replicas = instances.length;
      sys(`traffic switched to the new version${replicas > 1 ? ` (${replicas} replicas)` : ''}`);
      this.status(frame, 'running', null, started);
      if (current) void this.retire(current, previous, frame, { removeRelease: true });
    } catch (err) {
      await stopAll();
      this.status(frame, 'failed', err instanceof Error ? err.message : String(err), started);
    }
  }

  /**
   * `service.restart`: the live deployment's instances start afresh beside the old ones from the
   * same release (no fetch), pass the health check, take the traffic; the old ones drain and stop.
   * A failed check leaves the old instances serving. Queued behind deploys of the service.
   */
  async restart(serviceId: string): Promise<{ deployment_id: string; replicas: number }> {
    let answer: { deployment_id: string; replicas: number } | null = null;
    await this.serial(serviceId, async () => {
      const current = this.active.get(serviceId);
      if (!current) throw new RestartError('not_running', 'This service is not running on this server');
      const frame = current.frame;
      const sys = (line: string) => this.logs.add(serviceId, frame.deployment_id, 'system', line);
      const spec = current.instances[0]?.spec;
      sys('restart requested: starting fresh instances');
      const instances = await this.startInstances(frame, spec?.workdir ?? null, spec?.image ?? null, sys);
      const failed = await this.gate(frame, instances, sys);
      if (failed) {
        await Promise.all(instances.map((i) => i.stop(this.o.stopTimeoutMs ?? 10_000).catch(() => undefined)));
        throw new RestartError('health_check_failed', `The restarted instances failed their health check; the old ones keep serving:\n${failed.slice(-10).join('\n')}`);
      }
      const previous = await this.switchTo(frame, instances);
      sys('restarted: traffic switched to the fresh instances');
      // Same release directory: the old instances stop, their files stay.
      void this.retire(current, previous, frame, { removeRelease: false });
      answer = { deployment_id: frame.deployment_id, replicas: instances.length };
    });
    return answer!;
  }

  private async startInstances(frame: Deploy, workdir: string | null, image: string | null, sys: (line: string) => void): Promise<Instance[]> {
    const runtime = image ? this.o.imageRuntime : this.o.runtime;
    if (!runtime) throw new Error('image artifacts need a Docker-compatible engine on this server (set SYNTRA_DOCKER_SOCKET for the agent)');
    const replicas = Math.min(MAX_REPLICAS, Math.max(1, frame.replicas));
    const instances: Instance[] = [];
    try {
      for (let r = 0; r < replicas; r += 1) {
        const port = await freePort();
        const tag = replicas > 1 ? `[${r + 1}/${replicas}] ` : '';
        instances.push(
          await runtime.start({
            serviceId: frame.service_id,
            deploymentId: frame.deployment_id,
            workdir,
            image,
            startCommand: frame.start_command ?? null,
            port,
            env: frame.env,
            limits: frame.limits,
            onLog: (stream, line) => this.logs.add(frame.service_id, frame.deployment_id, stream, tag + line),
          }),
        );
        sys(`${tag}started ${frame.deployment_id.slice(0, 8)} on port ${port}`);
      }
    } catch (err) {
      // A replica that would not start takes the ones already started down with it.
      await Promise.all(instances.map((i) => i.stop(this.o.stopTimeoutMs ?? 10_000).catch(() => undefined)));
      throw err;
    }
    return instances;
  }

  /** Every replica must pass before any traffic moves; the failing probe's log, or null. */
  private async gate(frame: Deploy, instances: Instance[], sys: (line: string) => void): Promise<string[] | null> {
    const hc = frame.health_check;
    const spec = {
      path: hc?.path ?? null,
      intervalMs: Math.min((hc?.interval ?? 1) * 1000, this.o.maxProbeIntervalMs ?? 2000),
      timeoutMs: (hc?.timeout ?? 5) * 1000,
      retries: Math.max(1, hc?.retries ?? 3),
    };
    const report = (result: ProbeResult) => this.o.sender.healthResult?.(frame.service_id, result, new Date());
    const results = await Promise.all(instances.map((inst) => waitHealthy(inst.host, inst.port, spec, sys, () => inst.state() !== 'crashed', this.o.bootGraceMs, report)));
    return results.find((h) => !h.ok)?.log ?? null;
  }

  /** Points the edge at the instances, starts their health monitor, records them as the service's live set. */
  private async switchTo(frame: Deploy, instances: Instance[]): Promise<Upstream | null> {
    const hc = frame.health_check;
    await this.o.edge.configure(frame.service_id, { domains: frame.domains, port: frame.port });
    const upstream = new Upstream(instances.map((i) => ({ host: i.host, port: i.port })), frame.deployment_id);
    const previous = this.o.edge.switch(frame.service_id, upstream);
    const report = (result: ProbeResult) => this.o.sender.healthResult?.(frame.service_id, result, new Date());
    const monitor = hc ? new HealthMonitor(instances, hc, (line) => this.logs.add(frame.service_id, frame.deployment_id, 'system', line), report) : null;
    monitor?.start();
    this.active.set(frame.service_id, { deploymentId: frame.deployment_id, frame, instances, upstream, monitor });
    await this.saveState();
    return previous;
  }

  /** Drains the old version's in-flight requests, then stops it and removes its release. */
  private async retire(old: Active, previous: Upstream | null, frame: Deploy, opts: { removeRelease: boolean }) {
    old.monitor?.stop();
    const drained = await (previous ?? old.upstream).drained(this.o.drainTimeoutMs ?? 30_000);
    this.logs.add(frame.service_id, frame.deployment_id, 'system', `old version ${old.deploymentId.slice(0, 8)} ${drained ? 'drained' : 'drain timed out'}; stopping it`);
    await Promise.all(old.instances.map((i) => i.stop(this.o.stopTimeoutMs ?? 10_000)));
    old.upstream.close();
    const workdir = opts.removeRelease ? old.instances[0]?.spec.workdir : null;
    if (workdir) await fs.promises.rm(workdir, { recursive: true, force: true }).catch(() => undefined);
  }

  /** The desired state (current deploy frame per service, env included) in a 0600 file. */
  private async saveState() {
    const state: Record<string, Deploy> = {};
    for (const [id, a] of this.active) state[id] = a.frame;
    await fs.promises.mkdir(path.dirname(this.stateFile), { recursive: true, mode: 0o700 });
    const tmp = `${this.stateFile}.tmp`;
    await fs.promises.writeFile(tmp, JSON.stringify(state), { mode: 0o600 });
    await fs.promises.rename(tmp, this.stateFile);
  }
}

type InstanceUsage = ReturnType<NonNullable<Instance['usage']>>;
const IO_FIELDS = ['disk_read_bps', 'disk_write_bps', 'net_rx_bps', 'net_tx_bps'] as const;

/** A service's usage: its replicas' summed; an I/O figure only when some replica measures it. */
function sumUsage(usages: InstanceUsage[]): InstanceUsage {
  const out: InstanceUsage = { cpu_percent: 0, memory_mb: 0 };
  for (const u of usages) {
    out.cpu_percent += u.cpu_percent;
    out.memory_mb += u.memory_mb;
    for (const f of IO_FIELDS) if (u[f] !== undefined) out[f] = (out[f] ?? 0) + u[f];
  }
  return out;
}
