export { Agent, AGENT_VERSION, type AgentOptions } from './core/agent.js';
export { HandlerRegistry, CommandError, type AgentContext, type FrameHandler, type CommandHandler, type BinaryHandler } from './core/handlers.js';
export type { Runtime } from './runtime/runtime.js';
export { ProcessRuntime } from './runtime/process-runtime.js';
export { loadAgentConfig } from './config.js';
