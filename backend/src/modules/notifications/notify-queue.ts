import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';

export const NOTIFY_QUEUE = 'syntra-notifications';

/** Ids only: the channel's secrets are opened by the worker at send time, never put in Redis. */
export interface NotifyJobData {
  delivery_id: string;
}

/** Attempts per delivery: the first and up to 5 retries with exponential backoff. */
export const NOTIFY_ATTEMPTS = 6;

/** Producer of delivery jobs; the job id is the delivery id, so a delivery is queued at most once. */
export class NotifyQueue {
  private queue: Queue<NotifyJobData> | null = null;

  constructor(
    private readonly redis: Redis,
    private readonly backoffMs: number,
  ) {}

  private get q() {
    this.queue ??= new Queue<NotifyJobData>(NOTIFY_QUEUE, {
      connection: this.redis,
      defaultJobOptions: { attempts: NOTIFY_ATTEMPTS, backoff: { type: 'exponential', delay: this.backoffMs }, removeOnComplete: 1000, removeOnFail: 5000 },
    });
    return this.queue;
  }

  async enqueue(deliveryIds: readonly string[]) {
    if (deliveryIds.length) await this.q.addBulk(deliveryIds.map((id) => ({ name: 'deliver', data: { delivery_id: id }, opts: { jobId: id } })));
  }

  async close() {
    await this.queue?.close();
  }
}
