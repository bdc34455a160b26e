export { AiModule, type AiModuleDeps } from './ai.module.js';
export { aiRoutes } from './ai.routes.js';
export type { CopilotPorts } from './copilot/ports.js';
export { copilotPorts } from './copilot/service-ports.js';
export type { AiConversationRow, AiMessageRow, AiProposalRow, AiUsageRow, AiOrgSettingsRow } from './ai.tables.js';
export { AI_ANALYSIS_QUEUE, type AnalysisJobData } from './analysis/analysis-queue.js';
export { AUTO_ANALYZE_MIN_EVENTS } from './settings.service.js';
