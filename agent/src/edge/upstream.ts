import http from 'node:http';

/** One instance the edge forwards to, with its in-flight request count (for draining). */
export class Upstream {
  inflight = 0;
  readonly agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  private idleWaiters: Array<() => void> = [];

  constructor(
    readonly host: string,
    readonly port: number,
    readonly label: string,
  ) {}

  begin() {
    this.inflight += 1;
  }

  end() {
    this.inflight -= 1;
    if (this.inflight === 0) for (const w of this.idleWaiters.splice(0)) w();
  }

  /** Resolves when no request is in flight, or after `timeoutMs`: true when it drained. */
  drained(timeoutMs: number): Promise<boolean> {
    if (this.inflight === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.idleWaiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  close() {
    this.agent.destroy();
  }
}
