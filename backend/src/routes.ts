import type { AnyRoute } from './http/route.js';
import { auditRoutes } from './modules/audit/index.js';
import { authRoutes } from './modules/auth/index.js';
import { orgRoutes } from './modules/orgs/index.js';
import { tokenRoutes } from './modules/tokens/index.js';

/**
 * The route table: every /api/v1 route with its access rule and schemas. The router, the OpenAPI
 * document and the permission-matrix test are all generated from it.
 */
export const API_ROUTES: readonly AnyRoute[] = [...authRoutes, ...orgRoutes, ...tokenRoutes, ...auditRoutes];
