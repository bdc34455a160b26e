import type { ServiceUsage } from '@syntra/shared';
import type { Runtime } from './runtime.js';

/** Services as supervised child processes. Issue 3 only reports them; deploys add the rest. */
export class ProcessRuntime implements Runtime {
  readonly kind = 'process' as const;
  private readonly running = new Map<string, () => ServiceUsage>();

  async version() {
    return `node ${process.versions.node}`;
  }

  capabilities() {
    return ['runtime.process'];
  }

  /** Lets the deploy code report a service it supervises. */
  track(serviceId: string, usage: () => ServiceUsage) {
    this.running.set(serviceId, usage);
  }

  untrack(serviceId: string) {
    this.running.delete(serviceId);
  }

  async services(): Promise<ServiceUsage[]> {
    return [...this.running.values()].map((u) => u());
  }

  async close() {}
}
