import type { Redis } from 'ioredis';
import type { Knex } from 'knex';
import type { Config } from './config.js';
import type { AppServices } from './deps.js';
import { AuditService } from './modules/audit/index.js';
import { AuthService, LoginLimiter, OAuthService, configuredProviders } from './modules/auth/index.js';
import { OrgService } from './modules/orgs/index.js';
import { TokenService } from './modules/tokens/index.js';

/** Wires the domain services together. Pure construction: no I/O happens here. */
export function buildServices(config: Config, db: Knex, redis: Redis): AppServices {
  const audit = new AuditService(db);
  const orgs = new OrgService(db, audit, config.publicUrl);
  const auth = new AuthService(db, orgs, audit, new LoginLimiter(redis, config.loginLimits), config.sessionTtlMs);
  const oauth = new OAuthService(db, redis, configuredProviders(config), auth, orgs, config.publicUrl);
  const tokens = new TokenService(db, orgs, audit);
  return { audit, orgs, auth, oauth, tokens };
}
