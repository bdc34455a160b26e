import { Redis } from 'ioredis';
import type { Worker } from 'bullmq';
import type { Logger } from '../../logger.js';
import { type NotificationService, startNotifyWorker } from '../notifications/index.js';
import type { AlertService } from './alerts.service.js';
import { EventCatchUp } from './catch-up.js';
import { AlertEvaluator } from './evaluator.js';
import { AlertEventListener } from './event-listener.js';
import type { AlertDataPorts } from './ports.js';
import { closeWorker } from '../../lib/close-worker.js';
import { within } from '../../lib/within.js';

export interface AlertingOptions {
  redisUrl: string;
  publicUrl: string;
  intervalSeconds: number;
  /** Ticks on a timer (workers); tests turn them by hand with `evaluator.tick()`. */
  autoTick?: boolean;
  leaseSeconds?: number;
  evaluatorId?: string;
  notifyConcurrency?: number;
  onEvaluated?: (ruleId: string, lagMs: number) => void;
}

export interface RunningAlerting {
  evaluator: AlertEvaluator;
  listener: AlertEventListener;
  catchUp: EventCatchUp;
  notifyWorker: Worker;
  close(): Promise<void>;
}

/** Alerting in a worker process: the evaluator's schedule, the stream listener and the delivery worker. */
export async function startAlerting(alerts: AlertService, notifications: NotificationService, ports: AlertDataPorts, log: Logger, opts: AlertingOptions): Promise<RunningAlerting> {
  const subscriber = new Redis(opts.redisUrl, { maxRetriesPerRequest: null });
  const connection = new Redis(opts.redisUrl, { maxRetriesPerRequest: null });
  const listener = new AlertEventListener(subscriber, alerts.repo, alerts.engine, ports, notifications, opts.publicUrl, log);
  const catchUp = new EventCatchUp(alerts.repo, listener, ports, log);
  const evaluator = new AlertEvaluator(alerts.repo, alerts.engine, ports, log, { intervalSeconds: opts.intervalSeconds, leaseSeconds: opts.leaseSeconds, id: opts.evaluatorId, onEvaluated: opts.onEvaluated, catchUp });
  await listener.start();
  // Listening first: what happens from now on is heard live; what happened while no evaluator listened is in the records.
  await catchUp.all(alerts.engine.now()).catch((err: unknown) => log.warn({ err }, 'alert catch-up on start failed'));
  const notifyWorker = startNotifyWorker(notifications, connection, log, opts.notifyConcurrency);
  // The evaluator looks for due rules every second (one indexed query), so a due rule waits at most about that.
  const timer = opts.autoTick === false ? null : setInterval(() => void evaluator.tick().catch((err: unknown) => log.warn({ err }, 'alert evaluation failed')), Math.min(opts.intervalSeconds, 1) * 1000);
  timer?.unref();
  return {
    evaluator,
    listener,
    catchUp,
    notifyWorker,
    close: async () => {
      if (timer) clearInterval(timer);
      await evaluator.idle();
      await listener.close();
      await closeWorker(notifyWorker);
      await within(Promise.all([subscriber.quit(), connection.quit()]), 2000, () => (subscriber.disconnect(), connection.disconnect()));
    },
  };
}
