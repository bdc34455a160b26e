import type { Deploy } from '@syntra/shared';
import type { Instance } from '../runtime/instance.js';
import { probe, type ProbeResult } from './health-check.js';

/**
 * Keeps checking a running version at its health-check interval. After `retries` failed probes
 * in a row an instance is unhealthy (reported in heartbeats and as a line of the service's log);
 * the first passing probe makes it healthy again. Every probe's result goes to `report`.
 */
export class HealthMonitor {
  private readonly failures = new Map<Instance, number>();
  private readonly unhealthy = new Set<Instance>();
  private timer: NodeJS.Timeout | null = null;
  private busy = false;

  constructor(
    private readonly instances: readonly Instance[],
    private readonly check: NonNullable<Deploy['health_check']>,
    private readonly onLog: (line: string) => void,
    private readonly report: (result: ProbeResult) => void = () => undefined,
  ) {}

  start() {
    if (!this.check.path || this.check.interval <= 0) return;
    this.timer = setInterval(() => void this.tick(), this.check.interval * 1000);
    this.timer.unref();
  }

  stop() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  isHealthy(instance: Instance) {
    return !this.unhealthy.has(instance);
  }

  private async tick() {
    if (this.busy) return;
    this.busy = true;
    try {
      await Promise.all(this.instances.map((i) => this.probeOne(i)));
    } finally {
      this.busy = false;
    }
  }

  private async probeOne(instance: Instance) {
    if (instance.state() === 'stopped') return;
    const result = await probe(instance.host, instance.port, this.check.path, Math.max(1, this.check.timeout) * 1000);
    // Stopped while probing (a newer version took over): the failure is ours, not the service's.
    if (instance.state() === 'stopped' || !this.timer) return;
    this.report(result);
    const { error } = result;
    if (!error) {
      this.failures.set(instance, 0);
      if (this.unhealthy.delete(instance)) this.onLog(`health check passing again (port ${instance.port})`);
      return;
    }
    const n = (this.failures.get(instance) ?? 0) + 1;
    this.failures.set(instance, n);
    if (n >= Math.max(1, this.check.retries) && !this.unhealthy.has(instance)) {
      this.unhealthy.add(instance);
      this.onLog(`health check failing (${n} in a row, port ${instance.port}): ${error}`);
    }
  }
}
