import type { Logger } from '../logger.js';

/**
 * Wraps an event listener (a socket's 'message', a server's 'upgrade'): those run outside any
 * promise or Koa middleware, so whatever they throw is an uncaught exception — the end of the
 * process, with every agent, console and terminal on it. Here it costs only the one event: logged,
 * then `onError` (close that socket) runs.
 */
export function guarded<A extends unknown[]>(log: Logger, what: string, listener: (...args: A) => void, onError: (...args: A) => void = () => undefined) {
  return (...args: A): void => {
    try {
      listener(...args);
    } catch (err) {
      log.error({ err }, `${what} failed`);
      try {
        onError(...args);
      } catch {
        /* the socket is already gone */
      }
    }
  };
}
