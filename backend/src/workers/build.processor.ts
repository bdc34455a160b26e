import { ACTIVE_DEPLOYMENT_STATUSES, BUILD_PHASE_DEPLOYMENT_STATUSES } from '@syntra/shared';
import { DelayedError, type Job, UnrecoverableError } from 'bullmq';
import type { AppDeps } from '../deps.js';
import type { Logger } from '../logger.js';
import type { BuildJobData, DeploymentRow, NewLogLine } from '../modules/deployments/index.js';
import type { ServiceContext } from '../modules/services/index.js';
import type { ServerSlots } from './server-slots.js';

export interface ProcessorOptions {
  /** How long the agent may take from `deploy` to a final status before the deployment fails (and how long it may stay away during a build). */
  deployTimeoutMs: number;
  /** How long a build on the agent may take from `build` to `build_result`. */
  buildTimeoutMs: number;
  pollMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Thrown out of a wait when this worker shuts down: the job is handed back to the queue (no attempt used). */
/** Thrown into a job when the worker is closing (the job is retried elsewhere): no failure of the job. */
export class WorkerStopping extends Error {}

export interface BuildProcessor {
  (job: Job<BuildJobData>, token?: string): Promise<string>;
  /** Stops waiting on agents: running jobs go back to the queue for another worker (the agent answers a re-sent build). */
  stop(): void;
}

/**
 * One job per deployment: have the service's own server build it (unless the deployment already
 * carries an artifact — rollbacks, retries after the build; image services need no build), then
 * hand the artifact to the agent and wait for its verdict. Tenant code never runs here: the worker
 * sends `build` and waits for the agent's `build_result` (stored by the hub → DeploymentService).
 * Every step is a compare-and-set on the deployment's status, so a retried or duplicated job resumes
 * where the deployment is and never deploys twice; a cancelled deployment stops the job at the next step.
 */
export function createBuildProcessor(deps: AppDeps, slots: ServerSlots, opts: ProcessorOptions): BuildProcessor {
  const { deployments, services, artifacts } = deps.services;
  const pollMs = opts.pollMs ?? 200;
  let stopping = false;
  const pause = async () => {
    if (stopping) throw new WorkerStopping();
    await sleep(pollMs);
    if (stopping) throw new WorkerStopping();
  };

  const processBuild = async function processBuild(job: Job<BuildJobData>, token?: string): Promise<string> {
    const log: Logger = deps.logger.child({ module: 'build', deployment_id: job.data.deployment_id, job_id: job.id });
    let d = await deployments.findById(job.data.deployment_id);
    if (!d) throw new UnrecoverableError('deployment no longer exists');
    if (deployments.isTerminal(d.status)) return `already ${d.status}`;
    const svc = await services.contextById(d.service_id);
    if (!svc) throw new UnrecoverableError('service no longer exists');

    const holder = `job:${job.id}`;
    if (!(await slots.acquire(svc.server_id, holder))) {
      await job.moveToDelayed(Date.now() + 500 + Math.floor(Math.random() * 500), token);
      throw new DelayedError();
    }
    const release = slots.hold(svc.server_id, holder);
    const write = (lines: NewLogLine[]) => deployments.log(d!, lines).catch((err: unknown) => log.warn({ err }, 'could not store log lines'));
    try {
      if (d.status !== 'deploying') {
        if (!d.artifact_id) {
          const building = await deployments.transition(d, BUILD_PHASE_DEPLOYMENT_STATUSES, 'building', { error_message: null, server_id: svc.server_id });
          if (!building) return 'cancelled before the build';
          d = building;
          if (job.attemptsMade > 0) await write([{ stream: 'system', line: `retrying (attempt ${job.attemptsMade + 1}); the agent answers a build it already has` }]);
          const built = svc.source_type === 'image' ? await imageArtifact(d, svc, write) : await buildOnAgent(d, svc.server_id, write);
          if (typeof built === 'string') return built;
          if (built.status !== 'pushing') return built.status === 'cancelled' ? 'cancelled during the build' : built.status;
          d = built;
        } else {
          await write([{ stream: 'system', line: `reusing artifact ${d.artifact_id} (no rebuild)` }]);
        }
        await deployments.snapshotEnv(d);
        const deploying = await deployments.transition(d, ['queued', 'pushing'], 'deploying');
        if (!deploying) return 'cancelled before the deploy';
        d = deploying;
        await write([{ stream: 'system', line: 'sending the deploy to the agent' }]);
      } else {
        await write([{ stream: 'system', line: 'resuming: the deploy was already sent; re-sending (the agent ignores a duplicate)' }]);
      }
      if (!(await deployments.agentConnected(svc.server_id))) {
        await write([{ stream: 'system', line: 'the agent is not connected; it receives this deploy when it reconnects' }]);
      } else {
        await deployments.sendDeploy(d.id, svc.server_id);
      }
      const final = await waitForOutcome(d.id);
      return final;
    } catch (err) {
      if (err instanceof WorkerStopping) {
        await job.moveToDelayed(Date.now() + 1000, token);
        throw new DelayedError();
      }
      if (err instanceof DelayedError || err instanceof UnrecoverableError) throw err;
      const message = err instanceof Error ? err.message : String(err);
      log.warn({ err }, 'deployment failed');
      await write([{ stream: 'system', line: `failed: ${message}` }]);
      const failed = await deployments.transition(d, ACTIVE_DEPLOYMENT_STATUSES, 'failed', { error_message: message.slice(0, 2000) });
      return failed ? 'failed' : 'already finished';
    } finally {
      await release();
    }
  };

  /** Image services: the image reference is the artifact (the agent pulls it); building → pushing. */
  async function imageArtifact(d: DeploymentRow, svc: ServiceContext, write: (lines: NewLogLine[]) => Promise<unknown>): Promise<DeploymentRow | string> {
    const started = Date.now();
    const ref = `${svc.image_name}:${d.image_tag ?? svc.image_tag ?? 'latest'}`;
    await write([{ stream: 'system', line: `deploying image ${ref} (no build)` }]);
    const a = await artifacts.putImage({ orgId: svc.org_id, serviceId: svc.id }, ref, `ref:${ref}`, svc.start_command);
    return (await deployments.transition(d, ['building'], 'pushing', { artifact_id: a.id, image_digest: a.digest, build_duration_ms: Date.now() - started })) ?? 'cancelled during the build';
  }

  /**
   * Sends `build` to the service's server and waits until its result moved the deployment on
   * (pushing, failed) or someone cancelled it. An agent that is away gets the build in its
   * hello_ack when it reconnects; one away longer than the deploy timeout, or a build past the
   * build timeout, fails the deployment with the reason.
   */
  async function buildOnAgent(d: DeploymentRow, serverId: string, write: (lines: NewLogLine[]) => Promise<unknown>): Promise<DeploymentRow | string> {
    const deadline = Date.now() + opts.buildTimeoutMs;
    let sent = false;
    let toldOffline = false;
    let offlineSince: number | null = null;
    for (;;) {
      const row = await deployments.findById(d.id);
      if (!row) return 'deleted';
      if (row.status !== 'building') return row;
      const now = Date.now();
      if (await deployments.agentConnected(serverId)) {
        offlineSince = null;
        if (!sent) {
          await deployments.sendBuild(d.id, serverId);
          await write([{ stream: 'system', line: 'build sent to the service’s server; its agent builds it' }]);
          sent = true;
        }
      } else {
        offlineSince ??= now;
        if (!toldOffline) {
          await write([{ stream: 'system', line: 'the agent is not connected; it receives the build when it reconnects' }]);
          toldOffline = true;
        }
        if (now - offlineSince > opts.deployTimeoutMs) {
          const reason = `The agent was not connected for ${Math.round(opts.deployTimeoutMs / 1000)} s during the build`;
          return (await fail(row, reason, write)) ?? 'already finished';
        }
      }
      if (now > deadline) {
        await deployments.cancelBuild(row).catch(() => undefined);
        return (await fail(row, `The build did not finish within ${Math.round(opts.buildTimeoutMs / 1000)} s`, write)) ?? 'already finished';
      }
      await pause();
    }
  }

  async function fail(row: DeploymentRow, reason: string, write: (lines: NewLogLine[]) => Promise<unknown>) {
    await write([{ stream: 'system', line: `failed: ${reason}` }]);
    return deployments.transition(row, ['building'], 'failed', { error_message: reason });
  }

  async function waitForOutcome(deploymentId: string): Promise<string> {
    const deadline = Date.now() + opts.deployTimeoutMs;
    for (;;) {
      const row = await deployments.findById(deploymentId);
      if (!row) return 'deleted';
      if (row.status !== 'deploying') return row.status;
      if (Date.now() > deadline) {
        await deployments.transition(row, ['deploying'], 'failed', { error_message: `The agent did not report an outcome within ${Math.round(opts.deployTimeoutMs / 1000)} s` });
        return 'failed';
      }
      await pause();
    }
  }

  return Object.assign(processBuild, {
    stop: () => {
      stopping = true;
    },
  });
}
