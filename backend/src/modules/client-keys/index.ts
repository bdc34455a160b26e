export { ClientKeyService, KEY_CACHE_TTL_MS, dsnOf, type IntakeKey, type ServiceDirectory } from './client-keys.service.js';
export { clientKeyRoutes } from './client-keys.routes.js';
export type { ClientKeyRow, IntakeProjectRow } from './client-keys.tables.js';
