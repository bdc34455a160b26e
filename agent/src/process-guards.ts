import type { AgentLogger } from './log.js';

/** Exit status after an uncaught exception (EX_SOFTWARE): the unit's Restart=always brings the agent back. */
export const CRASH_EXIT_CODE = 70;

interface ProcessLike {
  on(event: 'unhandledRejection', listener: (reason: unknown) => void): unknown;
  on(event: 'uncaughtException', listener: (err: Error) => void): unknown;
}

function describe(err: unknown) {
  return err instanceof Error ? { error: err.message, stack: err.stack } : { error: String(err) };
}

/**
 * What the agent does with an error nothing handled — decided, not left to Node's defaults:
 *
 * - an unhandled rejection is one failed asynchronous operation (a telemetry flush, a report to
 *   the control plane) whose `.catch` was forgotten. The process's state is intact, and exiting
 *   would stop the edge and every supervised service on the host for it: log it, keep serving.
 * - an uncaught exception was thrown synchronously out of an event listener, leaving whatever it
 *   was updating half-done (Node's documentation: resuming is not safe). Request, frame and
 *   socket listeners catch their own errors, so reaching here is a bug: log it and exit, and
 *   systemd (Restart=always) starts a clean agent, which reconnects and re-adopts its services.
 */
export function installProcessGuards(log: AgentLogger, proc: ProcessLike = process, exit: (code: number) => void = (code) => process.exit(code)) {
  proc.on('unhandledRejection', (reason) => log.error('unhandled promise rejection (the agent keeps running)', describe(reason)));
  proc.on('uncaughtException', (err) => {
    log.error('uncaught exception: exiting so the supervisor restarts the agent', describe(err));
    exit(CRASH_EXIT_CODE);
  });
}
