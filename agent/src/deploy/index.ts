export { DeployManager, type DeployManagerOptions, type DeploySender } from './deploy-manager.js';
export { registerDeployHandlers } from './handlers.js';
export { setUpDeploys } from './wire.js';
