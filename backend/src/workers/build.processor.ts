import { DelayedError, type Job, UnrecoverableError } from 'bullmq';
import type { AppDeps } from '../deps.js';
import type { Logger } from '../logger.js';
import type { Builder } from '../modules/builds/index.js';
import type { BuildJobData, DeploymentRow, NewLogLine } from '../modules/deployments/index.js';
import type { ServerSlots } from './server-slots.js';

export interface ProcessorOptions {
  /** How long the agent may take from `deploy` to a final status before the deployment fails. */
  deployTimeoutMs: number;
  pollMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * One job per deployment: build (unless the deployment already carries an artifact — rollbacks,
 * retries after the build), hand the artifact to the agent, wait for its verdict. Every step is a
 * compare-and-set on the deployment's status, so a retried or duplicated job resumes where the
 * deployment is and never deploys twice; a cancelled deployment stops the job at the next step.
 */
export function createBuildProcessor(deps: AppDeps, builder: Builder, slots: ServerSlots, opts: ProcessorOptions) {
  const { deployments, services } = deps.services;
  const pollMs = opts.pollMs ?? 200;

  return async function processBuild(job: Job<BuildJobData>, token?: string): Promise<string> {
    const log: Logger = deps.logger.child({ module: 'build', deployment_id: job.data.deployment_id, job_id: job.id });
    let d = await deployments.repo.find(job.data.deployment_id);
    if (!d) throw new UnrecoverableError('deployment no longer exists');
    if (deployments.isTerminal(d.status)) return `already ${d.status}`;
    const svc = await services.repo.context(d.service_id);
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
          const building = await deployments.transition(d, ['queued', 'building', 'pushing'], 'building', { error_message: null });
          if (!building) return 'cancelled before the build';
          d = building;
          if (job.attemptsMade > 0) await write([{ stream: 'system', line: `retrying the build (attempt ${job.attemptsMade + 1})` }]);
          const started = Date.now();
          const out = await buildWatchingCancel(d, async (signal) => {
            let pending: NewLogLine[] = [];
            let flushing = Promise.resolve();
            const flush = () => {
              const batch = pending;
              pending = [];
              flushing = flushing.then(() => write(batch));
            };
            const timer = setInterval(flush, 100);
            try {
              return await builder.build(d!, svc, (stream, line) => void pending.push({ stream, line }), signal);
            } finally {
              clearInterval(timer);
              flush();
              await flushing;
            }
          });
          if (!out) return 'cancelled during the build';
          const pushed = await deployments.transition(d, ['building'], 'pushing', {
            artifact_id: out.artifactId,
            image_digest: out.digest,
            git_commit_sha: out.sha ?? d.git_commit_sha,
            git_commit_message: out.message ?? d.git_commit_message,
            build_duration_ms: Date.now() - started,
          });
          if (!pushed) return 'cancelled after the build';
          d = pushed;
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
      if (!(await deployments.agents.isConnected(svc.server_id))) {
        await write([{ stream: 'system', line: 'the agent is not connected; it receives this deploy when it reconnects' }]);
      } else {
        await deployments.sendDeploy(d.id, svc.server_id);
      }
      const final = await waitForOutcome(d.id);
      return final;
    } catch (err) {
      if (err instanceof DelayedError || err instanceof UnrecoverableError) throw err;
      const message = err instanceof Error ? err.message : String(err);
      log.warn({ err }, 'deployment failed');
      await write([{ stream: 'system', line: `failed: ${message}` }]);
      const failed = await deployments.transition(d, ['queued', 'building', 'pushing', 'deploying'], 'failed', { error_message: message.slice(0, 2000) });
      return failed ? 'failed' : 'already finished';
    } finally {
      await release();
    }
  };

  /** Runs the build with an AbortSignal that fires when someone cancels the deployment. */
  async function buildWatchingCancel<T>(d: DeploymentRow, fn: (signal: AbortSignal) => Promise<T>): Promise<T | null> {
    const ac = new AbortController();
    const watch = setInterval(() => {
      void deployments.repo.find(d.id).then((row) => {
        if (!row || row.status === 'cancelled') ac.abort();
      });
    }, 500);
    try {
      return await fn(ac.signal);
    } catch (err) {
      if (ac.signal.aborted) return null;
      throw err;
    } finally {
      clearInterval(watch);
    }
  }

  async function waitForOutcome(deploymentId: string): Promise<string> {
    const deadline = Date.now() + opts.deployTimeoutMs;
    for (;;) {
      const row = await deployments.repo.find(deploymentId);
      if (!row) return 'deleted';
      if (row.status !== 'deploying') return row.status;
      if (Date.now() > deadline) {
        await deployments.transition(row, ['deploying'], 'failed', { error_message: `The agent did not report an outcome within ${Math.round(opts.deployTimeoutMs / 1000)} s` });
        return 'failed';
      }
      await sleep(pollMs);
    }
  }
}
