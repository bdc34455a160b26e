import { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../../logger.js';
import type { VerificationService } from './verification.service.js';
import { VERIFY_QUEUE, type VerifyJobData } from './verification.jobs.js';

/** The worker side of post-deploy verification: a dead worker's check is retried once its lock lapses. */
export function startVerificationWorker(service: VerificationService, connection: Redis, log: Logger, opts: { lockDurationMs: number; stalledIntervalMs: number }) {
  const worker = new Worker<VerifyJobData>(VERIFY_QUEUE, async (job) => service.check(job.data.deployment_id, job.data.seq), {
    connection,
    concurrency: 4,
    lockDuration: opts.lockDurationMs,
    stalledInterval: opts.stalledIntervalMs,
    maxStalledCount: 2,
  });
  worker.on('failed', (job, err) => log.warn({ err, job_id: job?.id }, 'post-deploy verification check failed'));
  return worker;
}
