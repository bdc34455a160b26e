import type { Logger } from './logger.js';

/** Exit status after an uncaught exception (EX_SOFTWARE), for the supervisor to restart on. */
export const CRASH_EXIT_CODE = 70;

interface ProcessLike {
  on(event: 'unhandledRejection', listener: (reason: unknown) => void): unknown;
  on(event: 'uncaughtException', listener: (err: Error) => void): unknown;
}

/**
 * What `syntra` does with an error nothing handled — decided, not left to Node's defaults:
 *
 * - an unhandled rejection is one failed operation (a fire-and-forget write, a timer's query)
 *   whose `.catch` was forgotten; HTTP requests, frames and jobs all handle their own. Exiting
 *   would drop every agent connection, console stream and terminal for it: log it (with the
 *   stack, at error, so it gets fixed) and keep serving.
 * - an uncaught exception was thrown synchronously out of an event listener and left its state
 *   half-updated (Node's documentation: resuming is not safe). Log it, give the graceful stop a
 *   few seconds (the queue's jobs are leased and idempotent, so a cut-off one is retried), and
 *   exit non-zero so the supervisor (systemd, a container restart policy) starts a clean process.
 */
export function installProcessGuards(
  log: Logger,
  stop: () => Promise<void>,
  proc: ProcessLike = process,
  exit: (code: number) => void = (code) => process.exit(code),
  graceMs = 5_000,
) {
  let crashing = false;
  proc.on('unhandledRejection', (reason) => log.error({ err: reason }, 'unhandled promise rejection (still serving)'));
  proc.on('uncaughtException', (err) => {
    log.fatal({ err }, 'uncaught exception: stopping so the supervisor restarts syntra');
    if (crashing) return;
    crashing = true;
    const force = setTimeout(() => exit(CRASH_EXIT_CODE), graceMs);
    force.unref?.();
    void stop()
      .catch(() => undefined)
      .finally(() => {
        clearTimeout(force);
        exit(CRASH_EXIT_CODE);
      });
  });
}
