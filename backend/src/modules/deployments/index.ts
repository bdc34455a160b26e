export { DeploymentService, type DeploymentServiceDeps, type LiveHook, type RollbackOptions, type TriggerType } from './deployments.service.js';
export { deploymentRoutes } from './deployments.routes.js';
export { DeployQueue, BUILD_QUEUE, type BuildJobData } from './deploy-queue.js';
export type { AgentBoundFrame, AgentGateway, EventSink } from './ports.js';
export type { DeploymentRow } from './deployments.tables.js';
export type { NewLogLine } from './deployment-logs.js';
export { deploymentHubPorts, hubGateway, streamSink } from './hub-link.js';
export { DeploymentIndex, type LiveDeployment, type DeploymentSummary } from './deployment-index.js';
export { ServiceRestarter, type RestartPorts } from './restart.service.js';
