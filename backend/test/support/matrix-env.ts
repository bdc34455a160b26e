import type { MatrixCtx } from '../permission-matrix.fixtures.js';
import { addMember, apiClient, registerAccount } from './api-client.js';
import { startTestEnv, type TestEnv } from './test-env.js';

/**
 * The cast the route-table matrices run with: an owner, an admin, a developer and a viewer of the
 * owner's organisation, and an outsider who belongs only to an organisation of their own.
 */
export async function startMatrixEnv(config: Record<string, string> = {}): Promise<{ env: TestEnv; ctx: MatrixCtx }> {
  const env = await startTestEnv(config);
  const api = apiClient(env.url);
  const owner = await registerAccount(api, 'owner');
  const accounts = { owner } as MatrixCtx['accounts'];
  for (const role of ['admin', 'developer', 'viewer'] as const) {
    accounts[role] = await registerAccount(api, role);
    await addMember(api, owner, accounts[role], role);
  }
  accounts.outsider = await registerAccount(api, 'outsider');
  return { env, ctx: { api, env, owner, accounts } };
}
