import type { Knex } from 'knex';
import {
  BUILD_PHASE_DEPLOYMENT_STATUSES,
  type ArtifactKind,
  type Build,
  type BuildLog,
  type BuildResult,
  type Deploy,
  type DeployStatus,
  type DeploymentStatus,
  type DeploymentVerification,
  type OrgDeploymentsQuery,
  ROLLBACK_TARGET_DEPLOYMENT_STATUSES,
  TERMINAL_DEPLOYMENT_STATUSES,
} from '@syntra/shared';
import { AgentOfflineError, ConflictError, NotFoundError, ValidationError } from '../../errors.js';
import { decodeCursor, pageResult } from '../../lib/pagination.js';
import type { SecretBox } from '../../lib/secret-box.js';
import type { ArtifactStore } from '../artifacts/index.js';
import type { AuditService } from '../audit/index.js';
import type { Actor } from '../orgs/index.js';
import { type EnvService, type EnvVars, envKeyDiff, type ServiceService } from '../services/index.js';
import type { DeployQueue } from './deploy-queue.js';
import { toDeploymentDto } from './deployment.dto.js';
import { DeploymentLogs, type NewLogLine } from './deployment-logs.js';
import { type DeploymentRow, DeploymentsRepo } from './deployments.repo.js';
import type { AgentGateway, EventSink } from './ports.js';
import { AgentReports, type RuntimeLogBatch } from './agent-reports.js';
import { DeploymentStates } from './deployment-states.js';
import { DeployFrames } from './deploy-frames.js';
import type { BuildSettings } from './build-frame.js';
import { BuildPipeline } from './build-pipeline.js';
import { commitRange } from './commit-range.js';


export type TriggerType = 'manual' | 'git_push' | 'rollback' | 'api';

export interface TriggerInput {
  git_ref?: string | undefined;
  image_tag?: string | undefined;
  commit_sha?: string | undefined;
  commit_message?: string | undefined;
}

/** Everything the deploy pipeline talks to, given at construction (see `buildServices`). */
export interface DeploymentServiceDeps {
  db: Knex;
  services: ServiceService;
  env: EnvService;
  box: SecretBox;
  artifacts: ArtifactStore;
  queue: DeployQueue;
  /** The agent hub's side: connected or not, and frames out (tests give a recording stand-in). */
  agents: AgentGateway;
  events: EventSink;
  audit: AuditService;
  publicUrl: string;
  build: Omit<BuildSettings, 'publicUrl'>;
  /** Services' runtime output (the telemetry store: agents send it as telemetry, it lands in ClickHouse). */
  runtimeLogs: RuntimeLogSource;
  /** Told when a deployment turns running (post-deploy verification schedules its check). */
  onLive?: LiveHook;
}

/** Called once a deployment turned running and became its service's current one. */
export type LiveHook = (d: DeploymentRow) => Promise<void>;

/** Why a rollback happened, for its audit entry (an automatic one has no user). */
export interface RollbackOptions {
  reason?: string;
  automatic?: boolean;
}

export interface RuntimeLogSource {
  recent(orgId: string, serviceId: string, q: { since?: string | undefined; until?: string | undefined; tail: number }): Promise<Array<{ ts: string; deployment_id: string | null; stream: string; line: string }>>;
}

/**
 * Deployments: created by a trigger (console, API, webhook, rollback), built by the worker, deployed
 * by the agent. Status changes are compare-and-set so a retried job or a late agent report never
 * moves a deployment backwards or deploys it twice.
 */
export class DeploymentService {
  private readonly states: DeploymentStates;
  private readonly repo: DeploymentsRepo;
  private readonly logs: DeploymentLogs;
  private readonly builds: BuildPipeline;
  private readonly reports: AgentReports;
  private readonly frames: DeployFrames;
  private readonly services: ServiceService;
  private readonly env: EnvService;
  private readonly box: SecretBox;
  readonly queue: DeployQueue;
  private readonly agents: AgentGateway;
  private readonly audit: AuditService;
  private readonly runtimeLogSource: RuntimeLogSource;

  constructor(deps: DeploymentServiceDeps) {
    this.runtimeLogSource = deps.runtimeLogs;
    ({ services: this.services, env: this.env, box: this.box, queue: this.queue, agents: this.agents, audit: this.audit } = deps);
    this.repo = new DeploymentsRepo(deps.db);
    this.logs = new DeploymentLogs(deps.db, deps.events);
    this.states = new DeploymentStates(this.repo, this.logs, deps.services, deps.events);
    this.builds = new BuildPipeline(this.states, deps.services, deps.artifacts, deps.agents, { ...deps.build, publicUrl: deps.publicUrl });
    this.reports = new AgentReports(this.states, deps.services, deps.onLive ?? null);
    this.frames = new DeployFrames(this.repo, deps.services, deps.artifacts, deps.env, deps.agents, deps.publicUrl);
  }

  /** Any org's deployment, for the build worker (it holds no org). */
  findById(deploymentId: string): Promise<DeploymentRow | undefined> {
    return this.repo.find(deploymentId);
  }

  /** Whether the server's agent is connected (on any api node). */
  agentConnected(serverId: string): Promise<boolean> {
    return this.agents.isConnected(serverId);
  }

  /** Asks the agent to stop a build (its process group is killed); queued until the agent answers. */
  cancelBuild(d: Pick<DeploymentRow, 'id' | 'server_id'>): Promise<void> {
    return this.builds.cancel(d);
  }

  async orgIdOf(deploymentId: string): Promise<string | null> {
    const d = await this.repo.find(deploymentId);
    return d ? this.services.orgIdOf(d.service_id) : null;
  }

  async find(orgId: string, deploymentId: string): Promise<DeploymentRow> {
    const d = await this.repo.find(deploymentId);
    if (!d || (await this.services.orgIdOf(d.service_id)) !== orgId) throw new NotFoundError('Deployment');
    return d;
  }

  async trigger(orgId: string, serviceId: string, actor: Actor | null, input: TriggerInput, trigger: TriggerType) {
    const service = await this.services.context(orgId, serviceId);
    if (!(await this.agents.isConnected(service.server_id))) throw new AgentOfflineError();
    if (service.source_type !== 'image' && !service.project_git_repo_url) {
      throw new ValidationError('The project has no git repository: set git_repo_url on the project, or use an image service');
    }
    if (service.source_type !== 'image' && service.project_git_repo_url) await this.services.assertGitRemoteAllowed(orgId, service.project_git_repo_url);
    const d = await this.repo.insert({
      service_id: serviceId,
      server_id: service.server_id,
      trigger_type: trigger,
      triggered_by: actor?.userId ?? null,
      git_ref: input.git_ref ?? null,
      git_branch: service.git_branch ?? service.project_git_branch ?? 'main',
      git_commit_sha: input.commit_sha ?? null,
      git_commit_message: input.commit_message ?? null,
      image_tag: input.image_tag ?? null,
    });
    await this.queue.enqueue(d.id);
    await this.audit.record({ orgId, actorId: actor?.userId ?? null, action: 'deployment.created', targetType: 'deployment', targetId: d.id, ip: actor?.ip ?? null, userAgent: actor?.userAgent ?? null, metadata: { service_id: serviceId, trigger, ...(input.commit_sha ? { commit: input.commit_sha } : {}) } });
    await this.states.publishStatus(orgId, d, null);
    return { id: d.id, status: d.status, created_at: d.created_at.toISOString() };
  }

  /** `actor` null: the system did it (post-deploy verification's automatic rollback); `opts.reason` says why. */
  async rollback(orgId: string, serviceId: string, actor: Actor | null, targetId?: string, opts: RollbackOptions = {}) {
    const service = await this.services.context(orgId, serviceId);
    const target = targetId ? await this.find(orgId, targetId) : await this.repo.lastRunnable(serviceId, service.current_deployment_id);
    if (!target || target.service_id !== serviceId) throw new NotFoundError('A deployment to roll back to');
    if (!target.artifact_id || !ROLLBACK_TARGET_DEPLOYMENT_STATUSES.includes(target.status)) {
      throw new ConflictError('Only a deployment that ran (and still has its artifact) can be rolled back to');
    }
    if (target.id === service.current_deployment_id) throw new ConflictError('That deployment is the one serving now');
    if (!(await this.agents.isConnected(service.server_id))) throw new AgentOfflineError();
    const d = await this.repo.insert({
      service_id: serviceId,
      server_id: service.server_id,
      trigger_type: 'rollback',
      triggered_by: actor?.userId ?? null,
      git_ref: target.git_ref,
      git_branch: target.git_branch,
      git_commit_sha: target.git_commit_sha,
      git_commit_message: target.git_commit_message,
      image_digest: target.image_digest,
      artifact_id: target.artifact_id,
      // The env snapshot travels with the artifact: a rollback restores what that version ran with.
      env_snapshot_encrypted: target.env_snapshot_encrypted,
      env_keys: target.env_keys,
      rollback_from_id: target.id,
    });
    await this.queue.enqueue(d.id);
    await this.audit.record({
      orgId,
      actorId: actor?.userId ?? null,
      action: 'deployment.rollback',
      targetType: 'deployment',
      targetId: d.id,
      ip: actor?.ip ?? null,
      userAgent: actor?.userAgent ?? null,
      metadata: { service_id: serviceId, to: target.id, ...(opts.automatic ? { automatic: true } : {}), ...(opts.reason ? { reason: opts.reason } : {}) },
    });
    await this.states.publishStatus(orgId, d, null);
    return { id: d.id, status: d.status, created_at: d.created_at.toISOString() };
  }

  /** Writes a deployment's verification if it is still in one of `expected` (see DeploymentsRepo.setVerification). */
  async setVerification(deploymentId: string, expected: ReadonlyArray<DeploymentVerification['status'] | null>, next: DeploymentVerification) {
    const updated = await this.repo.setVerification(deploymentId, expected, next);
    if (updated) {
      const orgId = await this.services.orgIdOf(updated.service_id);
      if (orgId) await this.states.publishVerification(orgId, updated);
    }
    return updated;
  }

  /** A rollback of the service to `targetId` created since `since` (verification's automatic rollback is made once). */
  rollbackSince(serviceId: string, targetId: string, since: Date) {
    return this.repo.rollbackSince(serviceId, targetId, since);
  }

  /** Verifications still pending past their end (for the workers' sweep). */
  overdueVerifications(endedBefore: Date, limit = 100) {
    return this.repo.overdueVerifications(endedBefore, limit);
  }

  async cancel(orgId: string, deploymentId: string, actor: Actor) {
    const d = await this.find(orgId, deploymentId);
    const updated = await this.transition(d, BUILD_PHASE_DEPLOYMENT_STATUSES, 'cancelled', { error_message: 'Cancelled by a user' });
    if (!updated) throw new ConflictError(`A ${d.status} deployment cannot be cancelled`);
    await this.queue.removeIfWaiting(deploymentId);
    // The build runs on the agent: it kills the build's process group (queued if it is offline).
    if (d.status === 'building') await this.builds.cancel(d).catch(() => undefined);
    await this.audit.record({ orgId, actorId: actor.userId, action: 'deployment.cancelled', targetType: 'deployment', targetId: deploymentId, ip: actor.ip, userAgent: actor.userAgent });
    return toDeploymentDto(updated);
  }

  async get(orgId: string, deploymentId: string, logQuery: { after?: number | undefined; tail?: number | undefined; limit: number }) {
    const d = await this.find(orgId, deploymentId);
    return { ...toDeploymentDto(d), logs: await this.logs.page(d.id, logQuery) };
  }

  async list(orgId: string, serviceId: string, page: { limit: number; cursor?: string | undefined }) {
    await this.services.context(orgId, serviceId);
    const rows = await this.repo.listByService(serviceId, page.limit, page.cursor ? decodeCursor(page.cursor) : undefined);
    return pageResult(rows, page.limit, (d) => ({ at: d.created_at, id: d.id }), toDeploymentDto);
  }

  async listForOrg(orgId: string, query: OrgDeploymentsQuery) {
    const rows = await this.repo.listByOrg(orgId, query.limit, {
      cursor: query.cursor ? decodeCursor(query.cursor) : undefined,
      status: query.status,
      serverId: query.server_id,
      projectId: query.project_id,
      latest: query.latest,
    });
    return pageResult(rows, query.limit, (d) => ({ at: d.created_at, id: d.id }), (d) => ({
      ...toDeploymentDto(d),
      service_name: d.service_name,
      project_id: d.project_id,
      project_name: d.project_name,
      server_id: d.server_id,
      is_current: d.is_current,
    }));
  }

  async diff(orgId: string, fromId: string, toId: string) {
    const [from, to] = [await this.find(orgId, fromId), await this.find(orgId, toId)];
    if (from.service_id !== to.service_id) throw new ValidationError('Both deployments must belong to the same service');
    const envOf = (d: DeploymentRow): EnvVars => (d.env_snapshot_encrypted ? this.env.decrypt(d.env_snapshot_encrypted) : {});
    // No git mirror on the control plane: the newer build reported the commits since the sha serving then.
    const commits = commitRange(from, to);
    return {
      from: from.id,
      to: to.id,
      commits: { from_sha: from.git_commit_sha, to_sha: to.git_commit_sha, ...commits },
      env: envKeyDiff(envOf(from), envOf(to)),
      image_digest: { from: from.image_digest, to: to.image_digest },
    };
  }

  /** Deploy markers for telemetry charts (issue 13): what went live in the range, oldest first, at most 200. */
  async markers(orgId: string, serviceId: string | null, from: Date, to: Date) {
    const rows = await this.repo.markersInRange(orgId, serviceId, from, to, 200);
    return rows.map((r) => ({ deployment_id: r.id, service_id: r.service_id, at: new Date(r.at).toISOString(), status: r.status, git_commit_sha: r.git_commit_sha }));
  }

  async runtimeLogs(orgId: string, serviceId: string, q: { since?: string | undefined; until?: string | undefined; tail: number }) {
    await this.services.context(orgId, serviceId);
    return this.runtimeLogSource.recent(orgId, serviceId, q);
  }

  // ---- pipeline (worker) ----

  transition(d: Pick<DeploymentRow, 'id' | 'service_id' | 'status'>, from: readonly DeploymentStatus[], to: DeploymentStatus, extra: Record<string, unknown> = {}) {
    return this.states.transition(d, from, to, extra);
  }

  log(d: Pick<DeploymentRow, 'id' | 'service_id'>, lines: readonly NewLogLine[]) {
    return this.states.log(d, lines);
  }

  /** Seals the service's current env onto the deployment (once), so a rollback can restore it. */
  async snapshotEnv(d: DeploymentRow): Promise<void> {
    if (d.env_snapshot_encrypted || d.trigger_type === 'rollback') return;
    const vars = await this.env.read(d.service_id);
    await this.repo.update(d.id, { env_snapshot_encrypted: this.box.sealJson(vars), env_keys: Object.keys(vars).sort() });
  }

  /** Hands the agent its deploy frame (composed from the database; env values decrypted only for it). */
  sendDeploy(deploymentId: string, serverId: string) {
    return this.frames.sendDeploy(deploymentId, serverId);
  }

  /** What an agent must (re)receive when it connects (see DeployFrames.pendingFor). */
  pendingForServer(serverId: string): Promise<Deploy[]> {
    return this.frames.pendingFor(serverId);
  }

  /** Queued by the hub until the agent answers, so an agent that is offline now stops it when it reconnects. */
  stopOnAgent(serverId: string, serviceId: string) {
    return this.frames.stop(serverId, serviceId);
  }

  // ---- builds (on the service's server) ----

  wasSentTo(artifactId: string, serverId: string) {
    return this.repo.artifactSentTo(artifactId, serverId);
  }

  receiveArtifact(serverId: string, deploymentId: string, body: NodeJS.ReadableStream, meta: { kind: ArtifactKind; digest: string; imageRef: string | null; maxBytes: number }) {
    return this.builds.receive(serverId, deploymentId, body, meta);
  }

  sendBuild(deploymentId: string, serverId: string) {
    return this.builds.send(deploymentId, serverId);
  }

  pendingBuildsForServer(serverId: string): Promise<Build[]> {
    return this.builds.pendingFor(serverId);
  }

  onBuildLog(serverId: string, batch: BuildLog) {
    return this.builds.onLog(serverId, batch);
  }

  onBuildResult(serverId: string, result: BuildResult) {
    return this.builds.onResult(serverId, result);
  }

  // ---- agent reports (hub) ----

  onDeployStatus(serverId: string, report: DeployStatus) {
    return this.reports.onDeployStatus(serverId, report);
  }

  onLogStream(serverId: string, batch: RuntimeLogBatch) {
    return this.reports.onLogStream(serverId, batch);
  }

  /** A deployment never stays `deploying` forever: anything past the deadline fails with a reason. */
  async failStuck(olderThanMs: number, buildsOlderThanMs = olderThanMs) {
    for (const d of await this.repo.stuck('deploying', new Date(Date.now() - olderThanMs))) {
      await this.transition(d, ['deploying'], 'failed', { error_message: `The agent did not report an outcome within ${Math.round(olderThanMs / 1000)} s` });
    }
    // A build whose job is gone (Redis flushed) never stays `building` either; the agent is told to stop.
    for (const d of await this.repo.stuck('building', new Date(Date.now() - buildsOlderThanMs))) {
      const failed = await this.transition(d, ['building'], 'failed', { error_message: `The build did not report a result within ${Math.round(buildsOlderThanMs / 1000)} s` });
      if (failed) await this.builds.cancel(d).catch(() => undefined);
    }
  }

  isTerminal(status: DeploymentStatus) {
    return TERMINAL_DEPLOYMENT_STATUSES.includes(status);
  }
}
