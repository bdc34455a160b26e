import type { ServiceUsage } from '@syntra/shared';
import { EngineApi } from './engine-api.js';
import type { Instance, InstanceRuntime, InstanceSpec } from './instance.js';
import { lineSplitter } from './line-splitter.js';
import { parseLimits } from './limits.js';

export { parseLimits };

interface ContainerInfo {
  RestartCount?: number;
  State: { Running: boolean; Restarting: boolean };
}

class DockerInstance implements Instance {
  readonly host = '127.0.0.1';
  private stopped = false;
  private lastState: ServiceUsage['state'] = 'starting';
  private restartCount = 0;

  constructor(
    readonly spec: InstanceSpec,
    private readonly api: EngineApi,
    readonly containerId: string,
  ) {}

  get port() {
    return this.spec.port;
  }

  /** Engines may hold the response headers until the first output: never awaited. */
  followLogs() {
    const out = lineSplitter((l) => this.spec.onLog('stdout', l));
    const err = lineSplitter((l) => this.spec.onLog('stderr', l));
    void this.api.followLogs(this.containerId, (stream, data) => (stream === 'stderr' ? err : out).push(data)).catch(() => undefined);
  }

  private async refresh() {
    if (this.stopped) return;
    try {
      const info = await this.api.json<ContainerInfo>('GET', `/containers/${this.containerId}/json`);
      this.restartCount = info.RestartCount ?? 0;
      this.lastState = info.State.Running ? 'running' : info.State.Restarting ? 'crashed' : 'stopped';
    } catch {
      this.lastState = 'unknown';
    }
  }

  state(): ServiceUsage['state'] {
    void this.refresh();
    return this.stopped ? 'stopped' : this.lastState;
  }

  restarts() {
    return this.restartCount;
  }

  async stop(timeoutMs: number) {
    this.stopped = true;
    await this.api.json('POST', `/containers/${this.containerId}/stop?t=${Math.ceil(timeoutMs / 1000)}`).catch(() => undefined);
    await this.api.json('DELETE', `/containers/${this.containerId}?force=true`).catch(() => undefined);
  }
}

/**
 * The `docker` runtime: each version of a service is a container (Docker or podman, through the
 * Docker Engine API) publishing its port on 127.0.0.1 for the edge. The app listens on the image's
 * first exposed port, or on $PORT when the image exposes none. The engine restarts crashed
 * containers (on-failure policy).
 */
export class DockerInstanceRuntime implements InstanceRuntime {
  readonly kind = 'docker' as const;
  readonly api: EngineApi;

  constructor(socketPath: string) {
    this.api = new EngineApi(socketPath);
  }

  async version(): Promise<string | null> {
    try {
      const v = await this.api.json<{ Version: string; Components?: Array<{ Name: string }> }>('GET', '/version');
      return `${v.Components?.[0]?.Name ?? 'docker'} ${v.Version}`;
    } catch {
      return null;
    }
  }

  /** Makes sure the engine has `ref`, loading `archive()` (a downloaded `docker save`) when it does not. */
  async ensureImage(ref: string, archive: (() => Promise<string>) | null): Promise<'present' | 'loaded'> {
    if (await this.api.hasImage(ref)) return 'present';
    if (!archive) throw new Error(`image ${ref} is not present on this server's engine and has no archive to load`);
    await this.api.loadImage(await archive());
    if (!(await this.api.hasImage(ref))) throw new Error(`loading the archive did not provide image ${ref}`);
    return 'loaded';
  }

  async start(spec: InstanceSpec): Promise<Instance> {
    if (!spec.image) throw new Error('the docker runtime needs an image');
    let image: { Config?: { ExposedPorts?: Record<string, unknown> } };
    try {
      image = await this.api.json('GET', `/images/${encodeURIComponent(spec.image)}/json`);
    } catch {
      throw new Error(`image ${spec.image} is not present on this server's engine`);
    }
    const exposed = Object.keys(image.Config?.ExposedPorts ?? {}).find((p) => p.endsWith('/tcp'));
    const containerPort = exposed ? Number(exposed.split('/')[0]) : spec.port;
    const env = { ...spec.env, PORT: String(containerPort) };
    const name = `syntra-${spec.serviceId.slice(0, 8)}-${spec.deploymentId.slice(0, 8)}-${Date.now().toString(36)}`;
    const created = await this.api.json<{ Id: string }>('POST', `/containers/create?name=${name}`, {
      Image: spec.image,
      ...(spec.startCommand ? { Cmd: ['sh', '-c', spec.startCommand] } : {}),
      Env: Object.entries(env).map(([k, v]) => `${k}=${v}`),
      ExposedPorts: { [`${containerPort}/tcp`]: {} },
      Labels: { 'syntra.service_id': spec.serviceId, 'syntra.deployment_id': spec.deploymentId },
      HostConfig: {
        PortBindings: { [`${containerPort}/tcp`]: [{ HostIp: '127.0.0.1', HostPort: String(spec.port) }] },
        RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 10 },
        ...parseLimits(spec.limits),
      },
    });
    const instance = new DockerInstance(spec, this.api, created.Id);
    try {
      await this.api.json('POST', `/containers/${created.Id}/start`);
      instance.followLogs();
    } catch (err) {
      await instance.stop(1000);
      throw err;
    }
    spec.onLog('system', `container ${created.Id.slice(0, 12)} started from ${spec.image}`);
    return instance;
  }
}
