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
 * events/s processed rose by about half and ack p99 fell by about a third once processing left
 * the intake's thread.) The thread reaches the same PostgreSQL and Redis, and the same embedded
 * ClickHouse: one engine per process, shared by its threads.
 *
 * Started by the first commit (or a backlog at start-up), so an idle `npm start` that never saw an
 * event does not carry it (~120 MB); once started it stays: a thread that ends takes its engine
 * connections with it, and that leaves the process's embedded ClickHouse unanswering (measured:
 * the main thread's next read never returned). So it is stopped only with the process. A thread
 * that does not start leaves the processing to this thread (`fallback`); one that dies after it
 * started is the process's crash (`crash`: the supervisor starts a clean process), as an uncaught
 * exception on the main thread is.
 */
export class IntakeProcessingThread {
  private worker: Worker | null = null;
  private ready = false;
  /** stop() was called, or processing fell back to the main thread: no thread starts again. */
  private closed = false;

  constructor(
    private readonly o: {
      /** The module the thread runs: the CLI's entry, which serves the thread when it finds itself in one. */
      entry: URL;
      env: Record<string, string>;
      logger: Logger;
      fallback: () => void;
      crash: (err: Error) => void;
      /** Whether acknowledged items wait in the queue (then the thread starts with the process). */
      hasBacklog: () => Promise<boolean>;
    },
  ) {}

  /** At start-up: a thread only if items already wait (left by the last run); otherwise the first commit starts it. */
  async startIfBacklog() {
    if (await this.o.hasBacklog().catch(() => true)) this.start();
  }

  /** Items were committed: the thread's consumer looks now instead of at its next poll (the first commit starts the thread). */
  nudge() {
    if (this.closed) return;
    if (!this.worker) this.start();
    else this.worker.postMessage({ type: 'nudge' } satisfies ToThread);
  }

  /** Lets the running batch finish and the thread close its connections; past `timeoutMs` it is terminated. */
  async stop(timeoutMs: number) {
    this.closed = true;
    const worker = this.worker;
    if (!worker) return;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage({ type: 'stop' } satisfies ToThread);
    await within(exited, timeoutMs, () => worker.terminate());
  }

  private start() {
    if (this.worker || this.closed) return;
    const worker = new Worker(this.o.entry, { workerData: { syntraThread: THREAD, env: this.o.env } satisfies ThreadData, argv: [] });
    this.worker = worker;
    worker.on('message', (m: FromThread) => {
      if (m.type !== 'ready') return;
      this.ready = true;
      this.o.logger.debug('intake processing thread ready');
    });
    let failure: Error | null = null;
    worker.on('error', (err) => {
      failure = err;
      this.o.logger.error({ err }, 'intake processing thread failed');
    });
    worker.on('exit', (code) => {
      this.worker = null;
      if (this.closed) return;
      this.closed = true;
      if (this.ready) {
        this.o.crash(failure ?? new Error(`the intake processing thread exited (code ${code})`));
        return;
      }
      this.o.logger.warn({ code }, 'intake processing thread did not start: processing intake events on the main thread');
      this.o.fallback();
    });
  }
}

/** The thread's side: runs the processing Syntra `run` starts until the main thread says stop. */
export async function serveIntakeThread(data: ThreadData, run: (env: Record<string, string>) => Promise<{ stop(): Promise<void>; nudge?: () => void; logger: Logger }>) {
  const port = parentPort!;
  const running = await run(data.env);
  // As on the main thread (process-guards.ts): one failed operation is logged, not the thread's end.
  process.on('unhandledRejection', (reason) => running.logger.error({ err: reason }, 'unhandled promise rejection in the intake processing thread (still processing)'));
  port.on('message', (m: ToThread) => {
    if (m.type === 'nudge') running.nudge?.();
    // process.exit in a worker ends this thread only: once stopped, nothing of it should linger.
    else if (m.type === 'stop') void running.stop().finally(() => process.exit(0));
  });
  port.postMessage({ type: 'ready' } satisfies FromThread);
}
