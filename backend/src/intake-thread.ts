import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { within } from './lib/within.js';
import type { Logger } from './logger.js';

const THREAD = 'syntra-intake-processing';

interface ThreadData {
  syntraThread: typeof THREAD;
  /** The environment the thread's Syntra reads its configuration from (the main thread's resolved stores). */
  env: Record<string, string>;
}

type ToThread = { type: 'nudge' } | { type: 'stop' };
type FromThread = { type: 'ready' };

/** What this thread is for, when it is `syntra start`'s intake processing thread (null otherwise). */
export function intakeThreadData(): ThreadData | null {
  if (isMainThread) return null;
  const data = workerData as Partial<ThreadData> | null;
  return data?.syntraThread === THREAD ? (data as ThreadData) : null;
}

/**
 * `syntra start`'s processing of the intake's queue (normalising, grouping, storing) on a thread of
 * its own: its own event loop and its own heap, so a burst's processing and its garbage collections
 * do not hold up the intake's acknowledgements or the console's API. (`npm run bench -- errors`:
 * events/s processed rose by about half and the paced ack p99 fell severalfold once processing
 * left the intake's thread.) The thread reaches the same PostgreSQL and Redis, and the same embedded
 * ClickHouse: one engine per process, shared by its threads.
 *
 * It runs while there is work: started by a commit (or a backlog at start-up), retired after
 * `idleMs` without commits once the queue is empty — an idle thread holds ~120 MB, more than an
 * idle `npm start` can spare. A thread that cannot start leaves the processing to this thread
 * (`fallback`); one that dies is started again, backing off.
 */
export class IntakeProcessingThread {
  private worker: Worker | null = null;
  private ready = false;
  /** stop() was called, or processing fell back to the main thread: no thread starts again. */
  private closed = false;
  /** Being stopped for idleness; `wanted`: work came meanwhile, so it starts again once gone. */
  private retiring = false;
  private wanted = false;
  private lastWorkAt = 0;
  private restarts = 0;
  private restartTimer: NodeJS.Timeout | null = null;
  private readonly idleTimer: NodeJS.Timeout;

  constructor(
    private readonly o: {
      /** The module the thread runs: the CLI's entry, which serves the thread when it finds itself in one. */
      entry: URL;
      env: Record<string, string>;
      logger: Logger;
      fallback: () => void;
      /** Whether acknowledged items wait in the queue (a thread is not retired, or is started at start-up, while they do). */
      hasBacklog: () => Promise<boolean>;
      idleMs?: number;
    },
  ) {
    const idleMs = o.idleMs ?? 5 * 60_000;
    this.idleTimer = setInterval(() => void this.retireIfIdle(idleMs), Math.min(60_000, Math.max(10, idleMs / 2)));
    this.idleTimer.unref();
  }

  /** At start-up: a thread only if items already wait (left by the last run); otherwise the first commit starts it. */
  async startIfBacklog() {
    if (await this.o.hasBacklog().catch(() => true)) this.start();
  }

  /** Whether a thread is running (or starting). */
  get running() {
    return this.worker !== null;
  }

  /** Items were committed: the thread's consumer looks now instead of at its next poll (a thread starts if none runs). */
  nudge() {
    this.lastWorkAt = Date.now();
    if (this.closed || this.restartTimer) return;
    if (this.retiring) this.wanted = true;
    else if (!this.worker) this.start();
    else this.worker.postMessage({ type: 'nudge' } satisfies ToThread);
  }

  /** Lets the running batch finish and the thread close its connections; past `timeoutMs` it is terminated. */
  async stop(timeoutMs: number) {
    this.closed = true;
    clearInterval(this.idleTimer);
    if (this.restartTimer) clearTimeout(this.restartTimer);
    const worker = this.worker;
    if (!worker) return;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage({ type: 'stop' } satisfies ToThread);
    await within(exited, timeoutMs, () => worker.terminate());
  }

  private start() {
    if (this.worker || this.closed) return;
    this.lastWorkAt = Date.now();
    const worker = new Worker(this.o.entry, { workerData: { syntraThread: THREAD, env: this.o.env } satisfies ThreadData, argv: [] });
    this.worker = worker;
    worker.on('message', (m: FromThread) => {
      if (m.type !== 'ready') return;
      this.ready = true;
      this.restarts = 0;
      this.o.logger.debug('intake processing thread ready');
    });
    worker.on('error', (err) => this.o.logger.error({ err }, 'intake processing thread failed'));
    worker.on('exit', (code) => this.exited(code));
  }

  private exited(code: number) {
    const wasReady = this.ready;
    this.worker = null;
    this.ready = false;
    if (this.closed) return;
    if (this.retiring) {
      this.retiring = false;
      this.o.logger.debug('intake processing thread retired (idle)');
      if (this.wanted) {
        this.wanted = false;
        this.start();
      }
      return;
    }
    if (!wasReady) {
      this.o.logger.warn({ code }, 'intake processing thread did not start: processing intake events on the main thread');
      this.closed = true;
      this.o.fallback();
      return;
    }
    const delayMs = Math.min(30_000, 1000 * 2 ** this.restarts++);
    this.o.logger.error({ code, restart_in_ms: delayMs }, 'intake processing thread exited: starting it again');
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      this.start();
    }, delayMs);
    this.restartTimer.unref();
  }

  private async retireIfIdle(idleMs: number) {
    const worker = this.worker;
    if (!worker || !this.ready || this.retiring || this.closed || Date.now() - this.lastWorkAt < idleMs) return;
    if (await this.o.hasBacklog().catch(() => true)) return;
    if (this.worker !== worker || this.retiring || this.closed || Date.now() - this.lastWorkAt < idleMs) return;
    this.retiring = true;
    worker.postMessage({ type: 'stop' } satisfies ToThread);
  }
}

/** The thread's side: runs the processing Syntra `run` starts until the main thread says stop. */
export async function serveIntakeThread(data: ThreadData, run: (env: Record<string, string>) => Promise<{ stop(): Promise<void>; nudge(): void }>) {
  const port = parentPort!;
  const running = await run(data.env);
  port.on('message', (m: ToThread) => {
    if (m.type === 'nudge') running.nudge();
    // process.exit in a worker ends this thread only: once stopped, nothing of it should linger.
    else if (m.type === 'stop') void running.stop().finally(() => process.exit(0));
  });
  port.postMessage({ type: 'ready' } satisfies FromThread);
}
