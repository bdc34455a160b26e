import type * as Sentry from '@sentry/node';

/**
 * A tiny "application" for the SDK tests: two code paths that throw. Each report runs in a fresh
 * task, so the stack holds only these frames (in-app) and Node's (not), not the test's call site:
 * the same code path groups the same wherever a test triggers it, as in a real app.
 */
export function chargeCard(amount: number): never {
  throw new TypeError(`card declined for amount ${amount}`);
}

export function loadUser(id: number): never {
  throw new Error(`User ${id} not found`);
}

export function report<A extends unknown[]>(sentry: typeof Sentry, fn: (...args: A) => never, args: A, scope?: (s: Sentry.Scope) => void): Promise<void> {
  return new Promise((resolve) => {
    setImmediate(() => {
      sentry.withScope((s) => {
        scope?.(s);
        try {
          fn(...args);
        } catch (err) {
          sentry.captureException(err);
        }
      });
      resolve();
    });
  });
}

/** A warning logged from one place in the app, its text varying with the queue. */
export function warnBackedUp(sentry: typeof Sentry, queue: number): Promise<void> {
  return new Promise((resolve) => {
    setImmediate(() => {
      sentry.captureMessage(`Queue ${queue} is backed up`, 'warning');
      resolve();
    });
  });
}
