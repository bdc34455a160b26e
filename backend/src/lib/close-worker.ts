import type { Worker } from 'bullmq';
import { within } from './within.js';

/** BullMQ's close waits for the running jobs and for Redis; past `ms` it stops waiting for either and closes by force. */
export function closeWorker(worker: Worker, ms = 10_000): Promise<void> {
  return within(worker.close(), ms, () => worker.close(true).catch(() => undefined));
}
