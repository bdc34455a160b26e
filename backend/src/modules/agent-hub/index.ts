export { AgentHub, type AgentHubOptions } from './agent-hub.js';
export type { AgentSession } from './agent-session.js';
export type { AgentFrameHandler, TelemetrySink, PendingDeploymentsProvider } from './frame-handlers.js';
export type { CommandRow } from './commands.tables.js';
export { isUuid } from './storable-item.js';
export { BUS_CHANNEL, type BusMessage } from './hub-bus.js';
