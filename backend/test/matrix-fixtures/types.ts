import type { Account, ApiClient } from '../support/api-client.js';
import type { TestEnv } from '../support/test-env.js';

export type Caller = 'owner' | 'admin' | 'developer' | 'viewer' | 'outsider';

export interface MatrixCtx {
  api: ApiClient;
  env: TestEnv;
  owner: Account;
  accounts: Record<Caller, Account>;
}

export interface FixtureRequest {
  path: string;
  body?: unknown;
  /** Sent as X-Org-Id; defaults to the owner's org for collection routes. */
  orgId?: string;
  /** Overrides the caller's bearer token (e.g. a fresh session for logout). */
  token?: string;
}

export interface RouteFixture {
  request(ctx: MatrixCtx, as: Caller): Promise<FixtureRequest>;
  ok?: number;
}

/** Fixtures of one module's routes, keyed "METHOD /path". */
export type ModuleFixtures = Record<string, RouteFixture>;
