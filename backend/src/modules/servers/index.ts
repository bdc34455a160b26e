export { ServerService, AGENT_TOKEN_PREFIX, toServerDto } from './servers.service.js';
export { serverRoutes } from './servers.routes.js';
export { agentDownloadsRouter } from './downloads.router.js';
export { agentBundle, writeAgentBundle } from './agent-bundle.js';
export { LocalAgent } from './local-agent.js';
export type { ServerRow, ServerStatusEventRow } from './servers.tables.js';
