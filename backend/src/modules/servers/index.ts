export { ServerService, AGENT_TOKEN_PREFIX, toServerDto } from './servers.service.js';
export { serverRoutes } from './servers.routes.js';
export { ServerPresence, type AgentServer, type StatusChange } from './server-presence.js';
export type { ServerRow, ServerStatusEventRow } from './servers.tables.js';
