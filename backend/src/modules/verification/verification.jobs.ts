import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';

export const VERIFY_QUEUE = 'syntra-verifications';

/** Ids only (BullMQ keeps job data in clear text). `seq` numbers a deployment's checks. */
export interface VerifyJobData {
  deployment_id: string;
  seq: number;
}

/**
 * The checks of post-deploy verification as delayed BullMQ jobs: each check schedules the next one
 * before it completes, so a worker killed mid-check leaves a stalled job another worker retries and
 * a killed worker between checks leaves a delayed job in Redis. The job id is the deployment and
 * the check's number, so a retried check schedules its successor once.
 */
export class VerifyQueue {
  private queue: Queue<VerifyJobData> | null = null;

  constructor(private readonly redis: Redis) {}

  private get q() {
    this.queue ??= new Queue<VerifyJobData>(VERIFY_QUEUE, {
      connection: this.redis,
      defaultJobOptions: { attempts: 5, backoff: { type: 'exponential', delay: 2000 }, removeOnComplete: 1000, removeOnFail: 5000 },
    });
    return this.queue;
  }

  async schedule(deploymentId: string, seq: number, delayMs: number) {
    await this.q.add('verify', { deployment_id: deploymentId, seq }, { jobId: `verify-${deploymentId}-${seq}`, delay: Math.max(0, Math.round(delayMs)) });
  }

  async close() {
    await this.queue?.close();
  }
}
