import type { LogLineStream, RuntimeKind, ServiceUsage } from '@syntra/shared';

/** A running instance writes its output and Syntra's notes on it; only builds write `build`. */
export type InstanceLogStream = Exclude<LogLineStream, 'build'>;

/** What to run for one version of a service. */
export interface InstanceSpec {
  serviceId: string;
  deploymentId: string;
  /** Process runtime: the unpacked release directory. */
  workdir: string | null;
  /** Docker runtime: the image reference. */
  image: string | null;
  startCommand: string | null;
  /** The port the app must listen on (PORT); allocated by the agent, private to the host. */
  port: number;
  env: Record<string, string>;
  limits: { cpu: string | null; memory: string | null };
  onLog(stream: InstanceLogStream, line: string): void;
}

/** One running version of a service: the edge proxies to `host:port`. */
export interface Instance {
  readonly spec: InstanceSpec;
  readonly host: string;
  readonly port: number;
  state(): ServiceUsage['state'];
  restarts(): number;
  /** The process (group) id, when the instance is a local process. */
  pid?(): number | null;
  /** CPU % (since the previous call) and resident memory, when the runtime can measure them. */
  usage?(): { cpu_percent: number; memory_mb: number; disk_read_bps?: number; disk_write_bps?: number; net_rx_bps?: number; net_tx_bps?: number };
  /** Graceful stop: SIGTERM (or engine stop), then kill after `timeoutMs`. Never restarts afterwards. */
  stop(timeoutMs: number): Promise<void>;
}

/**
 * Runs service instances. `process` (supervised child processes) and `docker` (dockerode)
 * implement it; the deploy manager and edge proxy only see this interface.
 */
export interface InstanceRuntime {
  readonly kind: RuntimeKind;
  start(spec: InstanceSpec): Promise<Instance>;
  /** Image runtimes: make the image present, loading the artifact's archive if the engine lacks it. */
  ensureImage?(ref: string, archive: (() => Promise<string>) | null): Promise<'present' | 'loaded'>;
}
