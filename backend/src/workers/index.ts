import { UnrecoverableError, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { AppDeps } from '../deps.js';
import { BUILD_QUEUE, type BuildJobData } from '../modules/deployments/index.js';
import { WorkerStopping, createBuildProcessor } from './build.processor.js';
import { ServerSlots } from './server-slots.js';

export interface WorkerOptions {
  concurrency?: number;
  perServerLimit?: number;
  deployTimeoutMs?: number;
  buildTimeoutMs?: number;
  /** How often BullMQ looks for jobs whose worker died (they are retried). */
  stalledIntervalMs?: number;
  /** How long a job's lock lives without renewal (a dead worker's job is retried after it lapses). */
  lockDurationMs?: number;
}

export interface RunningWorkers {
  close(): Promise<void>;
}

/**
 * Starts the BullMQ workers of this process (`syntra worker`, `syntra start`). Workers wait for
 * Redis forever (maxRetriesPerRequest: null) and are closed on shutdown, letting running jobs finish.
 */
export function startWorkers(deps: AppDeps, opts: WorkerOptions = {}): RunningWorkers {
  const connection = new Redis(deps.config.redisUrl!, { maxRetriesPerRequest: null });
  const deployTimeoutMs = opts.deployTimeoutMs ?? deps.config.deployTimeoutSeconds * 1000;
  const buildTimeoutMs = opts.buildTimeoutMs ?? deps.config.buildTimeoutSeconds * 1000;
  const slots = new ServerSlots(connection, opts.perServerLimit ?? deps.config.deploysPerServer);
  const processor = createBuildProcessor(deps, slots, { deployTimeoutMs, buildTimeoutMs });
  const worker = new Worker<BuildJobData, string>(BUILD_QUEUE, processor, {
    connection,
    concurrency: opts.concurrency ?? deps.config.buildConcurrency,
    stalledInterval: opts.stalledIntervalMs ?? deps.config.jobLockSeconds * 1000,
    lockDuration: opts.lockDurationMs ?? deps.config.jobLockSeconds * 1000,
    maxStalledCount: 2,
  });
  worker.on('failed', (job, err) => {
    deps.logger.warn({ err, job_id: job?.id }, 'build job failed');
    // A job given up on purpose (its deployment is gone, the worker is stopping) is no crash.
    if (!(err instanceof UnrecoverableError) && !(err instanceof WorkerStopping)) deps.selfReport?.job(err, BUILD_QUEUE, job?.id);
  });
  // Belt and braces for deployments whose job is gone (e.g. Redis flushed): never `deploying` forever.
  const sweeper = setInterval(() => void deps.services.deployments.failStuck(deployTimeoutMs * 2, buildTimeoutMs * 2).catch(() => undefined), 30_000);
  sweeper.unref();
  // Health-check results (HEALTH_RETENTION_DAYS) are pruned here; workers run on a schedule anyway,
  // the API need not. (Runtime logs live in ClickHouse, which expires them by their TTL.)
  const prune = () => {
    void deps.services.health.prune().catch((err: unknown) => deps.logger.warn({ err }, 'health-check pruning failed'));
    // Error events past each organisation's retention (default 30 days), and ignores that ran out.
    void deps.services.errorRetention.prune().catch((err: unknown) => deps.logger.warn({ err }, 'error event pruning failed'));
  };
  // The intake's queue (issue 12): handed to the error module's processor in batches.
  const intakeConsumer = deps.services.intake.startConsumer();
  if (!intakeConsumer) deps.logger.warn('no error-event processor is wired: intake events wait in their queue');
  const pruneIntake = () => void deps.services.intake.prune().catch((err: unknown) => deps.logger.warn({ err }, 'intake pruning failed'));
  const pruner = setInterval(() => {
    prune();
    pruneIntake();
  }, 3_600_000);
  pruner.unref();
  return {
    close: async () => {
      clearInterval(sweeper);
      clearInterval(pruner);
      processor.stop();
      await deps.services.intake.stopConsumer();
      await worker.close();
      await connection.quit().catch(() => undefined);
    },
  };
}
