import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';

export const BUILD_QUEUE = 'syntra-builds';

/** Job data holds ids only: never env values or tokens (BullMQ stores job data in clear text). */
export interface BuildJobData {
  deployment_id: string;
}

/** The producer side of the build queue. The job id is the deployment id, so a deployment is queued at most once. */
export class DeployQueue {
  private queue: Queue<BuildJobData> | null = null;

  constructor(private readonly redis: Redis) {}

  private get q() {
    this.queue ??= new Queue<BuildJobData>(BUILD_QUEUE, {
      connection: this.redis,
      defaultJobOptions: { attempts: 3, backoff: { type: 'exponential', delay: 2000 }, removeOnComplete: 1000, removeOnFail: 5000 },
    });
    return this.queue;
  }

  async enqueue(deploymentId: string) {
    await this.q.add('build', { deployment_id: deploymentId }, { jobId: deploymentId });
  }

  /** Removes a job that has not started; a running one notices the cancellation itself. */
  async removeIfWaiting(deploymentId: string) {
    const job = await this.q.getJob(deploymentId);
    if (job && ((await job.isWaiting()) || (await job.isDelayed()))) await job.remove().catch(() => undefined);
  }

  /** BullMQ's state of a deployment's job (`completed`, `active`, … or `unknown`). */
  async jobState(deploymentId: string): Promise<string> {
    return (await this.q.getJobState(deploymentId)) as string;
  }

  async close() {
    await this.queue?.close();
  }
}
