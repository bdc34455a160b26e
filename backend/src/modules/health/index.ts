export { HealthService, HEALTH_RETENTION_DAYS } from './health.service.js';
export { healthRoutes } from './health.routes.js';
export { healthHubPorts } from './health-link.js';
