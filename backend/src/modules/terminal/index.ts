export { TerminalService, type TerminalActor, type TerminalServiceDeps } from './terminal.service.js';
export { CONSOLE_PING_MS, TerminalRelay, type TerminalRelayOptions } from './terminal.relay.js';
export type { AgentLink } from './agent-link.js';
export { terminalRoutes } from './terminal.routes.js';
export { hubAgentLink } from './hub-link.js';
