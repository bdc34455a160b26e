export { AgentHub, type AgentHubDeps, type AgentHubOptions, HOST_METRICS_RETENTION_DAYS } from './agent-hub.js';
export type { AgentSession } from './agent-session.js';
export { type AgentFrameHandler, type AgentFrameHandlers, type AgentHubPorts, type TelemetrySink, type PendingDeploymentsProvider, combinePorts } from './frame-handlers.js';
export type { CommandRow } from './commands.tables.js';
export { isUuid } from './storable-item.js';
export { BUS_CHANNEL, type BusMessage } from './hub-bus.js';
