import type { Redis } from 'ioredis';
import type { Knex } from 'knex';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import type { AuditService } from './modules/audit/index.js';
import type { AuthService, OAuthService } from './modules/auth/index.js';
import type { OrgService } from './modules/orgs/index.js';
import type { TokenService } from './modules/tokens/index.js';

export interface AppServices {
  audit: AuditService;
  orgs: OrgService;
  auth: AuthService;
  oauth: OAuthService;
  tokens: TokenService;
}

/** Everything a request handler may use. Built once by the composition root (main.ts) or a test. */
export interface AppDeps {
  config: Config;
  logger: Logger;
  db: Knex;
  redis: Redis;
  services: AppServices;
}
