import type { RuntimeKind, ServiceUsage } from '@syntra/shared';

/**
 * Where services run on this host. `process` now; `docker` and the deploy operations come with
 * the deploy issue (they extend this interface under agent/src/runtime/).
 */
export interface Runtime {
  readonly kind: RuntimeKind;
  /** e.g. the Node version for `process`, the engine version for `docker`. */
  version(): Promise<string | null>;
  capabilities(): string[];
  /** Current state of every service this runtime manages, reported in each heartbeat. */
  services(): Promise<ServiceUsage[]>;
  /** Called on graceful shutdown; services keep running unless the runtime says otherwise. */
  close(): Promise<void>;
}
