import type { AnyRoute } from './http/route.js';
import { auditRoutes } from './modules/audit/index.js';
import { authRoutes } from './modules/auth/index.js';
import { orgRoutes } from './modules/orgs/index.js';
import { tokenRoutes } from './modules/tokens/index.js';
import { serverRoutes } from './modules/servers/index.js';
import { artifactRoutes } from './modules/artifacts/index.js';
import { deploymentRoutes } from './modules/deployments/index.js';
import { projectRoutes } from './modules/projects/index.js';
import { serviceRoutes } from './modules/services/index.js';
import { domainRoutes } from './modules/domains/index.js';
import { healthRoutes } from './modules/health/index.js';
import { webhookRoutes } from './modules/webhooks/index.js';
import { terminalRoutes } from './modules/terminal/index.js';
import { clientKeyRoutes } from './modules/client-keys/index.js';
import { ingestRoutes } from './modules/ingest/index.js';
import { issueRoutes } from './modules/errors/index.js';
import { telemetryRoutes } from './modules/telemetry/index.js';

/**
 * The route table: every /api/v1 route with its access rule and schemas. The router, the OpenAPI
 * document and the permission-matrix test are all generated from it.
 */
export const API_ROUTES: readonly AnyRoute[] = [
  ...authRoutes,
  ...orgRoutes,
  ...tokenRoutes,
  ...auditRoutes,
  ...serverRoutes,
  ...projectRoutes,
  ...serviceRoutes,
  ...domainRoutes,
  ...deploymentRoutes,
  ...healthRoutes,
  ...artifactRoutes,
  ...webhookRoutes,
  ...terminalRoutes,
  ...clientKeyRoutes,
  ...ingestRoutes,
  ...issueRoutes,
  ...telemetryRoutes,
];
