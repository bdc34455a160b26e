// Agent distribution: what a server downloads to run the agent (install script, bundle, native
// modules) and the agent the control plane runs on its own host. Servers (CRUD, tokens, metrics,
// commands) stay in ../servers; this module only reads a server through its service.
export { agentDownloadsRouter } from './downloads.router.js';
export { agentBundle, writeAgentBundle } from './agent-bundle.js';
export { LocalAgent } from './local-agent.js';
