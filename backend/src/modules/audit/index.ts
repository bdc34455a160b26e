export { AuditService, type AuditEvent } from './audit.service.js';
export { auditRoutes } from './audit.routes.js';
