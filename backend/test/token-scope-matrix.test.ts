/**
 * Every route × every API-token scope × how the token is bound (to the organisation the request
 * acts in, to another organisation of the same owner, or to none), generated from the route table
 * and the permission fixtures. The expected status comes from the tables alone: the route's
 * permission → `scopeFor` → `scopesAllow`, `user` routes' own scope, a token bound elsewhere → 404.
 * The caller is always the OWNER (every role check passes), so what is refused is the token's doing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOKEN_SCOPES, scopeFor, scopesAllow, type TokenScope } from '@syntra/shared';
import { type AnyRoute, routeId } from '../src/http/route.js';
import { API_ROUTES } from '../src/routes.js';
import { MATRIX_EXCEPTIONS, type MatrixCtx, ROUTE_FIXTURES } from './permission-matrix.fixtures.js';
import { startMatrixEnv } from './support/matrix-env.js';
import type { TestEnv } from './support/test-env.js';

type Binding = 'this-org' | 'other-org' | 'unbound';
const BINDINGS: Binding[] = ['this-org', 'other-org', 'unbound'];

interface MatrixToken {
  scope: TokenScope;
  binding: Binding;
  token: string;
  label: string;
}

/**
 * Where a token's answer differs from the tables by design, with why. `binding` limits the
 * exception to those bindings; `status` applies once the token's scope passes the route's.
 */
const TOKEN_EXCEPTIONS: Record<string, { bindings?: Binding[]; status: number }> = {
  // API tokens are revoked, not signed out.
  'POST /api/v1/auth/logout': { status: 400 },
  // The fixture's target is an unbound token: for a token bound to an organisation it does not exist.
  'DELETE /api/v1/tokens/:id': { bindings: ['this-org', 'other-org'], status: 404 },
};

let env: TestEnv;
let ctx: MatrixCtx;
const tokens: MatrixToken[] = [];

beforeAll(async () => {
  // The logout fixture signs in once per request: more often than the default per-account limit.
  ({ env, ctx } = await startMatrixEnv({ SYNTRA_LOGIN_LIMIT_PER_ACCOUNT: '100000' }));
  const { api, owner } = ctx;

  const other = await api.post('/api/v1/orgs', { name: 'Owner elsewhere' }, { token: owner.token });
  const orgOf: Record<Binding, string | undefined> = { 'this-org': owner.orgId, 'other-org': other.body.data.id, unbound: undefined };
  for (const scope of TOKEN_SCOPES) {
    for (const binding of BINDINGS) {
      // With an expiry, so minting from these tokens also exercises the inherited-expiry path.
      const res = await api.post('/api/v1/tokens', { name: `${scope}/${binding}`, scopes: [scope], org_id: orgOf[binding], expires_in_days: 30 }, { token: owner.token });
      if (res.status !== 201) throw new Error(`minting ${scope}/${binding}: ${res.status} ${JSON.stringify(res.body)}`);
      tokens.push({ scope, binding, token: res.body.data.token, label: `${scope}/${binding}` });
    }
  }
});
afterAll(() => env.close());

/** null: only "not 5xx" is asserted (public routes ignore user tokens). */
function expectedStatus(route: AnyRoute, t: MatrixToken, ok: number): number | null {
  const access = route.access;
  if (access.kind === 'public') return null;
  const id = routeId(route);
  const exception = TOKEN_EXCEPTIONS[id];
  const designed = exception && (!exception.bindings || exception.bindings.includes(t.binding)) ? exception.status : ok;
  if (access.kind === 'user') {
    if (!scopesAllow([t.scope], access.scope)) return 403;
    if (access.accountWide && t.binding !== 'unbound') return 403;
    return designed;
  }
  // The request acts in the owner's first organisation: a token bound to another one finds nothing there.
  if (t.binding === 'other-org') return 404;
  return scopesAllow([t.scope], scopeFor(access.permission)) ? designed : 403;
}

describe('token scope matrix: every route × every scope × bound here / bound elsewhere / unbound', () => {
  it('has a fixture for every route in the table', () => {
    const missing = API_ROUTES.map(routeId).filter((id) => !ROUTE_FIXTURES[id]);
    expect(missing).toEqual([]);
  });

  for (const route of API_ROUTES) {
    const id = routeId(route);
    it(id, async () => {
      const fixture = ROUTE_FIXTURES[id];
      if (!fixture) return; // reported by the test above
      const ok = MATRIX_EXCEPTIONS[id]?.owner ?? fixture.ok ?? route.status ?? 200;
      const outcomes: string[] = [];
      const expected: string[] = [];
      for (const t of tokens) {
        const req = await fixture.request(ctx, 'owner');
        // Always the matrix token: a fixture's own token (a fresh session for logout) would test that instead.
        const res = await ctx.api.request(route.method.toUpperCase(), req.path, req.body, { token: t.token, orgId: req.orgId });
        const want = expectedStatus(route, t, ok);
        outcomes.push(`${t.label}=${want === null ? (res.status < 500 ? 'not-5xx' : res.status) : res.status}`);
        expected.push(`${t.label}=${want ?? 'not-5xx'}`);
        if (res.status === 403) expect(res.body?.error?.message, `${t.label}: a 403 says why`).toMatch(/scope|bound/);
      }
      expect(outcomes).toEqual(expected);
    });
  }
});

describe('secrets keep to the token scope', () => {
  it('env values are revealed to write and admin tokens only; read and deploy tokens get them masked (200)', async () => {
    const req = await ROUTE_FIXTURES['PUT /api/v1/services/:serviceId/env']!.request(ctx, 'owner');
    await ctx.api.put(req.path, { vars: { API_KEY: 'top-secret-value' } }, { token: ctx.owner.token });
    const seen: Record<string, unknown> = {};
    for (const t of tokens.filter((x) => x.binding !== 'other-org')) {
      const res = await ctx.api.get(req.path, { token: t.token });
      expect(res.status, t.label).toBe(200);
      seen[t.label] = res.body.data.masked ? 'masked' : res.body.data.vars[0].value;
      if (res.body.data.masked) expect(JSON.stringify(res.body)).not.toContain('top-secret-value');
    }
    expect(seen).toEqual({
      'read/this-org': 'masked',
      'read/unbound': 'masked',
      'deploy/this-org': 'masked',
      'deploy/unbound': 'masked',
      'write/this-org': 'top-secret-value',
      'write/unbound': 'top-secret-value',
      'admin/this-org': 'top-secret-value',
      'admin/unbound': 'top-secret-value',
    });
  });

  it('an org-bound token sees only its organisation in /orgs and /auth/me', async () => {
    const bound = tokens.find((t) => t.scope === 'read' && t.binding === 'this-org')!;
    const orgs = await ctx.api.get('/api/v1/orgs', { token: bound.token });
    expect(orgs.body.data.map((o: { id: string }) => o.id)).toEqual([ctx.owner.orgId]);
    const me = await ctx.api.get('/api/v1/auth/me', { token: bound.token });
    expect(me.body.data.orgs.map((o: { id: string }) => o.id)).toEqual([ctx.owner.orgId]);
    const unbound = tokens.find((t) => t.scope === 'read' && t.binding === 'unbound')!;
    expect((await ctx.api.get('/api/v1/orgs', { token: unbound.token })).body.data.length).toBeGreaterThan(1);
  });
});
