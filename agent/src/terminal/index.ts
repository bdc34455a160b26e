export { TerminalManager, type TerminalManagerOptions, type TerminalTransport } from './terminal-manager.js';
export { TerminalSession, DEFAULT_LIMITS, MAX_PTY_READ_BYTES, type SessionLimits } from './terminal-session.js';
export type { ServiceShellProvider, SpawnSpec, TerminalTarget } from './spawn-spec.js';
export { hostShellSpec, baseTerminalEnv, type TerminalProfile } from './host-shell.js';
export { serviceShellProvider, containerExecFor, type ServiceInstanceInfo, type ContainerExec } from './service-shell.js';
export { registerTerminalHandlers } from './terminal-handlers.js';
