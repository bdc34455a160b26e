export { TokenService } from './tokens.service.js';
export { tokenRoutes } from './tokens.routes.js';
export type { ApiTokenRow } from './tokens.tables.js';
