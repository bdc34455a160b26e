export { ServiceService, type ServiceLifecycle } from './services.service.js';
export { EnvService, envKeyDiff, type EnvVars } from './env.service.js';
export { serviceRoutes, byService } from './services.routes.js';
export { toServiceDto, healthCheckOf } from './services.dto.js';
export type { ServiceContext } from './services.repo.js';
export type { ServiceRow } from './services.tables.js';
