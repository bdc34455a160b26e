import { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../../logger.js';
import { NOTIFY_QUEUE, type NotifyJobData } from './notify-queue.js';
import type { NotificationService } from './notifications.service.js';

/** The delivery worker: one attempt per job run; BullMQ retries failures with the queue's backoff. */
export function startNotifyWorker(notifications: NotificationService, connection: Redis, log: Logger, concurrency = 8): Worker<NotifyJobData> {
  const worker = new Worker<NotifyJobData, string>(NOTIFY_QUEUE, (job) => notifications.deliver(job.data.delivery_id, job.attemptsMade + 1), { connection, concurrency });
  worker.on('failed', (job, err) => log.warn({ delivery_id: job?.data.delivery_id, attempt: job?.attemptsMade, err: err.message }, 'notification attempt failed'));
  return worker;
}
