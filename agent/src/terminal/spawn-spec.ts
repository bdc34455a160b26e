/** What to run in a pty: decided by the target (host login shell, a service's shell, a container exec). */
export interface SpawnSpec {
  file: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
}

/** Terminal targets as the protocol names them. */
export type TerminalTarget = { kind: 'host' } | { kind: 'service'; service_id: string };

/**
 * Implemented by the runtime (process or docker) for `service` targets: a shell in the service's
 * directory with its environment, or an `exec` into its container. Null when the service is unknown.
 */
export interface ServiceShellProvider {
  shellFor(serviceId: string, opts: { shell?: string | undefined }): Promise<SpawnSpec | null>;
}
