import { UnrecoverableError, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { AppDeps } from '../deps.js';
import { BUILD_QUEUE, type BuildJobData } from '../modules/deployments/index.js';
import { WorkerStopping, createBuildProcessor } from './build.processor.js';
import { ServerSlots } from './server-slots.js';
import { startAlerting, type RunningAlerting } from '../modules/alerts/index.js';
import { startVerificationWorker } from '../modules/verification/index.js';
import { AI_ANALYSIS_QUEUE, AUTO_ANALYZE_MIN_EVENTS, type AnalysisJobData } from '../modules/ai/index.js';
import { closeWorker } from '../lib/close-worker.js';
import { within } from '../lib/within.js';

export interface WorkerOptions {
  concurrency?: number;
  perServerLimit?: number;
  deployTimeoutMs?: number;
  buildTimeoutMs?: number;
  /** How often BullMQ looks for jobs whose worker died (they are retried). */
  stalledIntervalMs?: number;
  /** How long a job's lock lives without renewal (a dead worker's job is retried after it lapses). */
  lockDurationMs?: number;
  /** Whether the intake's queue is consumed here (default) or by another thread (`syntra start`'s processing thread). */
  intakeConsumer?: boolean;
}

export interface RunningWorkers {
  close(): Promise<void>;
}

const WORKER_CLOSE_MS = 10_000;


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
  // AI error analyses (issue 15): the job stores its outcome (done or failed) on the issue itself.
  const analyses = new Worker<AnalysisJobData>(AI_ANALYSIS_QUEUE, async (job) => void (await deps.services.ai.analysis.run(job.data)), {
    connection,
    concurrency: 2,
    stalledInterval: opts.stalledIntervalMs ?? deps.config.jobLockSeconds * 1000,
    lockDuration: Math.max(opts.lockDurationMs ?? deps.config.jobLockSeconds * 1000, 120_000),
  });
  const autoAnalyze = setInterval(() => {
    void deps.services.ai.settings
      .autoAnalyzeOrgs()
      .then((orgs) => deps.services.ai.analysis.autoSweep(orgs, AUTO_ANALYZE_MIN_EVENTS))
      .catch((err: unknown) => deps.logger.warn({ err }, 'automatic AI analysis sweep failed'));
  }, 60_000);
  autoAnalyze.unref();
  analyses.on('failed', (job, err) => deps.logger.warn({ err, job_id: job?.id }, 'AI analysis job failed'));
  // Post-deploy verification (issue 14): delayed checks of deployments that went live.
  const verifications = startVerificationWorker(deps.services.verification, connection, deps.logger.child({ module: 'verification' }), {
    lockDurationMs: opts.lockDurationMs ?? deps.config.jobLockSeconds * 1000,
    stalledIntervalMs: opts.stalledIntervalMs ?? deps.config.jobLockSeconds * 1000,
  });
  const verifySweep = setInterval(() => void deps.services.verification.sweep().catch(() => undefined), 60_000);
  verifySweep.unref();
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
  if (opts.intakeConsumer !== false && !deps.services.intake.startConsumer()) deps.logger.warn('no error-event processor is wired: intake events wait in their queue');
  const pruneIntake = () => void deps.services.intake.prune().catch((err: unknown) => deps.logger.warn({ err }, 'intake pruning failed'));
  const pruner = setInterval(() => {
    prune();
    pruneIntake();
  }, 3_600_000);
  pruner.unref();
  // Alerts (issue 14): rule evaluation, the stream listener for event kinds, notification deliveries.
  const alerting: Promise<RunningAlerting | null> = startAlerting(deps.services.alerts, deps.services.notifications, deps.services.alertData, deps.logger.child({ module: 'alerts' }), {
    redisUrl: deps.config.redisUrl!,
    publicUrl: deps.config.publicUrl,
    intervalSeconds: deps.config.alerts.evalSeconds,
  }).catch((err: unknown) => {
    deps.logger.error({ err }, 'alerting did not start');
    return null;
  });
  return {
    close: async () => {
      clearInterval(sweeper);
      clearInterval(pruner);
      clearInterval(autoAnalyze);
      clearInterval(verifySweep);
      processor.stop();
      // Side by side and each bounded: running jobs may finish their step; a part that cannot (its
      // store gone) is given up on, so a worker process always stops.
      const late = (part: string) => () => deps.logger.warn({ part, waited_ms: WORKER_CLOSE_MS }, 'shutdown stopped waiting');
      await Promise.all([
        within(deps.services.intake.stopConsumer(), WORKER_CLOSE_MS, late('ingest consumer')),
        within(alerting.then((a) => a?.close()), WORKER_CLOSE_MS, late('alerting')),
        ...[worker, analyses, verifications].map((w) => closeWorker(w, WORKER_CLOSE_MS)),
      ]);
      await within(connection.quit(), 2000, () => connection.disconnect());
    },
  };
}
