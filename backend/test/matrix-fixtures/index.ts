import { ACCOUNT_FIXTURES } from './accounts.js';
import { AI_FIXTURES } from './ai.js';
import { ALERT_FIXTURES } from './alerts.js';
import { DEPLOY_FIXTURES } from './deploy.js';
import { ERROR_FIXTURES } from './errors.js';
import { SERVER_FIXTURES } from './servers.js';
import { TELEMETRY_FIXTURES } from './telemetry.js';
import type { Caller, ModuleFixtures, RouteFixture } from './types.js';

export type { Caller, FixtureRequest, MatrixCtx, RouteFixture } from './types.js';

const MODULES: ModuleFixtures[] = [ACCOUNT_FIXTURES, DEPLOY_FIXTURES, SERVER_FIXTURES, ERROR_FIXTURES, TELEMETRY_FIXTURES, ALERT_FIXTURES, AI_FIXTURES];

/** Every module's fixtures in one table; a route claimed by two modules is a mistake, not an override. */
function merged(): Record<string, RouteFixture> {
  const all: Record<string, RouteFixture> = {};
  for (const fixtures of MODULES) {
    for (const [route, fixture] of Object.entries(fixtures)) {
      if (route in all) throw new Error(`two fixtures for ${route}`);
      all[route] = fixture;
    }
  }
  return all;
}

export const ROUTE_FIXTURES: Record<string, RouteFixture> = merged();

/**
 * Routes whose designed answer for some callers differs from the permission table, with why.
 * Key: route id → caller → expected status.
 */
export const MATRIX_EXCEPTIONS: Record<string, Partial<Record<Caller, number>>> = {
  // Open to every member so anyone can leave; removing someone else needs members.manage.
  'DELETE /api/v1/orgs/:orgId/members/:userId': { developer: 403, viewer: 403 },
  // A recording is replayed by the session's owner or the org's admins, not by other developers.
  'GET /api/v1/terminal-sessions/:sessionId/recording': { developer: 403 },
  // Accepting an invite to an organisation you already belong to is a conflict.
  'POST /api/v1/invites/:token/accept': { owner: 409, admin: 409, developer: 409, viewer: 409 },
};
