import type { ArtifactKind, Build, BuildLog, BuildResult } from '@syntra/shared';
import { ConflictError, NotFoundError, ValidationError } from '../../errors.js';
import type { ArtifactRow, ArtifactStore } from '../artifacts/index.js';
import type { ServiceService } from '../services/index.js';
import { type BuildSettings, composeBuildFrame } from './build-frame.js';
import type { DeploymentRow } from './deployments.repo.js';
import type { DeploymentStates } from './deployment-states.js';
import type { AgentGateway } from './ports.js';

/** Build log lines may trail the result a little (frames are handled out of order); past this they are dropped. */
const LATE_LOG_MS = 60_000;

/**
 * The control plane's side of builds, which run on the service's own server: the `build` frame
 * (composed from the database each time), the artifact upload that the build's own agent makes
 * while the deployment is `building`, and the agent's `build_log` / `build_result` reports.
 */
export class BuildPipeline {
  constructor(
    private readonly states: DeploymentStates,
    private readonly services: ServiceService,
    private readonly artifacts: ArtifactStore,
    private readonly agents: AgentGateway,
    private readonly settings: BuildSettings,
  ) {}

  async frame(deploymentId: string, requestId: string): Promise<Build> {
    const d = await this.states.repo.find(deploymentId);
    const svc = d ? await this.services.contextById(d.service_id) : undefined;
    if (!d || !svc) throw new Error(`deployment ${deploymentId} lost its service`);
    const current = svc.current_deployment_id ? await this.states.repo.find(svc.current_deployment_id) : undefined;
    const frame = await composeBuildFrame(this.settings, d, svc, current?.git_commit_sha ?? null, requestId);
    // The commit list the agent reports starts after this sha: the diff needs to know which.
    if (d.build_base_sha !== frame.base_sha) await this.states.repo.update(d.id, { build_base_sha: frame.base_sha });
    return frame;
  }

  async send(deploymentId: string, serverId: string): Promise<void> {
    await this.agents.send(serverId, { type: 'build', payload: await this.frame(deploymentId, crypto.randomUUID()) });
  }

  /** Asks the agent to stop a build (its process group is killed); queued until the agent answers. */
  async cancel(d: Pick<DeploymentRow, 'id' | 'server_id'>): Promise<void> {
    if (!d.server_id) return;
    await this.agents.send(d.server_id, { type: 'build_cancel', payload: { request_id: crypto.randomUUID(), deployment_id: d.id } });
  }

  /** Builds sent to `serverId` and not answered: composed again for its hello_ack. */
  async pendingFor(serverId: string): Promise<Build[]> {
    // hello_ack carries at most 200 (the per-server slots keep the real number far below).
    const rows = (await this.states.repo.buildingOnServer(serverId)).slice(0, 200);
    const frames: Build[] = [];
    for (const d of rows) {
      try {
        frames.push(await this.frame(d.id, crypto.randomUUID()));
      } catch (err) {
        // One build that can no longer be composed (its project lost its repository) must not break the agent's hello.
        await this.states.transition(d, ['building'], 'failed', { error_message: `The build could not be sent again: ${(err as Error).message}`.slice(0, 2000) });
      }
    }
    return frames;
  }

  /** An agent's upload: only the server the build was sent to, only while the deployment is building. */
  async receive(serverId: string, deploymentId: string, body: NodeJS.ReadableStream, meta: { kind: ArtifactKind; digest: string; imageRef: string | null; maxBytes: number }): Promise<ArtifactRow> {
    const d = await this.states.repo.find(deploymentId);
    if (!d || d.server_id !== serverId) throw new NotFoundError('Deployment');
    if (d.status !== 'building') throw new ConflictError(`The deployment is ${d.status}, not building: it takes no upload`);
    if (meta.kind === 'image' && !meta.imageRef) throw new ValidationError('An image upload names its image (X-Artifact-Image-Ref)');
    const orgId = await this.services.orgIdOf(d.service_id);
    if (!orgId) throw new NotFoundError('Deployment');
    return this.artifacts.receive({ orgId, serviceId: d.service_id, deploymentId: d.id }, body, meta);
  }

  async onLog(serverId: string, batch: BuildLog): Promise<void> {
    const d = await this.states.repo.find(batch.deployment_id);
    if (!d || d.server_id !== serverId) return;
    if (d.finished_at && Date.now() - new Date(d.finished_at).getTime() > LATE_LOG_MS) return;
    await this.states.log(d, batch.lines);
  }

  /** building → pushing with the uploaded artifact (verified to be this build's), or → failed with the agent's reason. */
  async onResult(serverId: string, r: BuildResult): Promise<void> {
    const d = await this.states.repo.find(r.deployment_id);
    if (!d || d.server_id !== serverId || d.status !== 'building') return;
    if (!r.ok) {
      await this.states.log(d, [{ stream: 'system', line: `failed: ${r.error ?? 'the build failed'}` }]);
      await this.states.transition(d, ['building'], 'failed', { error_message: (r.error ?? 'The build failed').slice(0, 2000), build_duration_ms: r.duration_ms });
      return;
    }
    const artifact = r.artifact_id ? await this.artifacts.find(r.artifact_id) : undefined;
    if (!artifact || artifact.deployment_id !== d.id || artifact.digest !== r.digest) {
      await this.states.transition(d, ['building'], 'failed', { error_message: 'The agent reported a build whose artifact was not uploaded for this deployment' });
      return;
    }
    await this.artifacts.setStartCommand(artifact.id, r.start_command);
    await this.states.transition(d, ['building'], 'pushing', {
      artifact_id: artifact.id,
      image_digest: r.digest,
      git_commit_sha: r.sha ?? d.git_commit_sha,
      git_commit_message: r.commit_message ?? d.git_commit_message,
      build_commits: JSON.stringify(r.commits),
      build_commits_complete: r.commits_complete,
      build_duration_ms: r.duration_ms,
    });
  }
}
