import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roleCan } from '@syntra/shared';
import { routeId } from '../src/http/route.js';
import { API_ROUTES } from '../src/routes.js';
import { type Caller, MATRIX_EXCEPTIONS, type MatrixCtx, ROUTE_FIXTURES } from './permission-matrix.fixtures.js';
import { startMatrixEnv } from './support/matrix-env.js';
import type { TestEnv } from './support/test-env.js';

const CALLERS: Caller[] = ['owner', 'admin', 'developer', 'viewer', 'outsider'];
let env: TestEnv;
let ctx: MatrixCtx;

beforeAll(async () => {
  ({ env, ctx } = await startMatrixEnv());
});
afterAll(() => env.close());

function expectedStatus(route: (typeof API_ROUTES)[number], caller: Caller, ok: number): number | null {
  const exception = MATRIX_EXCEPTIONS[routeId(route)]?.[caller];
  if (exception !== undefined) return exception;
  if (route.access.kind === 'public') return null;
  if (route.access.kind === 'user') return ok;
  if (caller === 'outsider') return 404;
  return roleCan(caller, route.access.permission) ? ok : 403;
}

describe('permission matrix: every route × every role × a foreign organisation', () => {
  it('has a fixture for every route in the table', () => {
    const missing = API_ROUTES.map(routeId).filter((id) => !ROUTE_FIXTURES[id]);
    expect(missing).toEqual([]);
  });

  for (const route of API_ROUTES) {
    const id = routeId(route);
    it(id, async () => {
      const fixture = ROUTE_FIXTURES[id];
      if (!fixture) return; // reported by the test above
      const ok = fixture.ok ?? route.status ?? 200;
      const outcomes: string[] = [];
      const expectedOutcomes: string[] = [];
      for (const caller of CALLERS) {
        const req = await fixture.request(ctx, caller);
        const token = req.token ?? ctx.accounts[caller].token;
        const res = await ctx.api.request(route.method.toUpperCase(), req.path, req.body, { token, orgId: req.orgId });
        const expected = expectedStatus(route, caller, ok);
        outcomes.push(`${caller}=${expected === null ? (res.status < 500 ? 'not-5xx' : res.status) : res.status}`);
        expectedOutcomes.push(`${caller}=${expected ?? 'not-5xx'}`);
        if (res.status >= 400) expect(res.body?.success, `${caller}: error envelope`).toBe(false);
      }
      expect(outcomes).toEqual(expectedOutcomes);

      if (route.access.kind !== 'public') {
        const req = await fixture.request(ctx, 'owner');
        const anonymous = await ctx.api.request(route.method.toUpperCase(), req.path, req.body);
        expect(anonymous.status, 'without a token').toBe(401);
      }
    });
  }
});

describe('API token scopes', () => {
  it('a read-only token can read but not write, and an org-bound token sees only its org', async () => {
    const { owner, api } = ctx;
    const read = await api.post('/api/v1/tokens', { name: 'ro', scopes: ['read'] }, { token: owner.token });
    const readToken = read.body.data.token as string;
    expect((await api.get(`/api/v1/orgs/${owner.orgId}/members`, { token: readToken })).status).toBe(200);
    const write = await api.patch(`/api/v1/orgs/${owner.orgId}`, { name: 'nope' }, { token: readToken });
    expect(write.status).toBe(403);
    expect(write.body.error.message).toContain('scope');

    const other = await api.post('/api/v1/orgs', { name: 'Second org' }, { token: owner.token });
    const bound = await api.post('/api/v1/tokens', { name: 'bound', scopes: ['admin'], org_id: owner.orgId }, { token: owner.token });
    const boundToken = bound.body.data.token as string;
    expect((await api.get(`/api/v1/orgs/${owner.orgId}`, { token: boundToken })).status).toBe(200);
    expect((await api.get(`/api/v1/orgs/${other.body.data.id}`, { token: boundToken })).status).toBe(404);
  });
});
