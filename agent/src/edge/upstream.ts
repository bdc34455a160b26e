import http from 'node:http';

export interface Target {
  host: string;
  port: number;
}

/**
 * One version of a service the edge forwards to: its instances (replicas, picked round-robin) and
 * the count of requests in flight across them (for draining).
 */
export class Upstream {
  inflight = 0;
  readonly agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  private idleWaiters: Array<() => void> = [];
  private next = 0;

  constructor(
    readonly targets: readonly Target[],
    readonly label: string,
  ) {
    if (!targets.length) throw new Error('an upstream needs at least one target');
  }

  pick(): Target {
    const t = this.targets[this.next % this.targets.length]!;
    this.next += 1;
    return t;
  }

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
