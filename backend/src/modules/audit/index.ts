export { AuditService, type AuditEvent } from './audit.service.js';
export { auditRoutes } from './audit.routes.js';
export type { AuditEntryRow } from './audit.tables.js';
