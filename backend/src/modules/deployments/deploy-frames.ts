import type { Deploy } from '@syntra/shared';
import type { ArtifactStore } from '../artifacts/index.js';
import { type EnvService, healthCheckOf, type ServiceService } from '../services/index.js';
import type { DeploymentsRepo } from './deployments.repo.js';
import type { AgentGateway } from './ports.js';

/** The frames the control plane sends an agent about running deployments: `deploy` and `stop`. */
export class DeployFrames {
  constructor(
    private readonly repo: DeploymentsRepo,
    private readonly services: ServiceService,
    private readonly artifacts: ArtifactStore,
    private readonly env: EnvService,
    private readonly agents: AgentGateway,
    private readonly publicUrl: string,
  ) {}

  /** The deploy frame for the agent. Env values are decrypted here and travel only over the agent's socket. */
  async frame(deploymentId: string): Promise<Deploy> {
    const d = await this.repo.find(deploymentId);
    if (!d?.artifact_id) throw new Error(`deployment ${deploymentId} has no artifact`);
    const service = await this.services.contextById(d.service_id);
    const artifact = await this.artifacts.find(d.artifact_id);
    if (!service || !artifact) throw new Error(`deployment ${deploymentId} lost its service or artifact`);
    const hc = healthCheckOf(service);
    return {
      request_id: d.id,
      deployment_id: d.id,
      service_id: d.service_id,
      artifact:
        artifact.kind === 'tarball'
          ? { kind: 'tarball', url: `${this.publicUrl}/api/v1/artifacts/${artifact.id}`, digest: artifact.digest }
          : {
              kind: 'image',
              ref: artifact.image_ref ?? '',
              digest: artifact.digest,
              // Built images travel as archives; a plain image reference (image services) has none.
              ...(artifact.storage_key ? { url: `${this.publicUrl}/api/v1/artifacts/${artifact.id}` } : {}),
            },
      start_command: service.start_command ?? artifact.start_command,
      port: service.port,
      env: d.env_snapshot_encrypted ? this.env.decrypt(d.env_snapshot_encrypted) : {},
      replicas: service.replicas ?? 1,
      health_check: hc.path ? { path: hc.path, interval: hc.interval_seconds, timeout: hc.timeout_seconds, retries: hc.retries } : null,
      domains: service.domains ?? [],
      limits: { cpu: service.cpu_limit, memory: service.memory_limit },
    };
  }

  async sendDeploy(deploymentId: string, serverId: string) {
    await this.agents.send(serverId, { type: 'deploy', payload: await this.frame(deploymentId) });
  }

  /**
   * What an agent must (re)receive when it connects (the hub puts it in `hello_ack`): the current
   * deployment of each of its services (desired state: an agent that already runs it answers
   * "running", one that lost it — wiped data dir, new machine — starts it again), then the
   * deployments it was handed and has not answered.
   */
  async pendingFor(serverId: string): Promise<Deploy[]> {
    const current = await this.repo.currentOnServer(serverId);
    const deploying = await this.repo.deployingOnServer(serverId);
    const frames: Deploy[] = [];
    for (const d of [...current, ...deploying.filter((x) => !current.some((c) => c.id === x.id))]) frames.push(await this.frame(d.id));
    return frames;
  }

  /** Queued by the hub until the agent answers. */
  async stop(serverId: string, serviceId: string) {
    await this.agents.send(serverId, { type: 'stop', payload: { request_id: crypto.randomUUID(), service_id: serviceId, timeout_seconds: 10, remove_container: true } });
  }
}
