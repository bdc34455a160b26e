import { addMember, registerAccount } from '../support/api-client.js';
import { unique } from './targets.js';
import type { MatrixCtx, ModuleFixtures } from './types.js';

async function newInvite(ctx: MatrixCtx, email = `${unique('inv')}@example.test`) {
  const res = await ctx.api.post(`/api/v1/orgs/${ctx.owner.orgId}/invites`, { email, role: 'viewer' }, { token: ctx.owner.token });
  return res.body.data as { id: string; token: string };
}

// ---- auth, organisations, tokens ----
export const ACCOUNT_FIXTURES: ModuleFixtures = {
  // auth
  'POST /api/v1/auth/register': { request: async () => ({ path: '/api/v1/auth/register', body: { email: `${unique('reg')}@example.test`, password: 'long enough pw', name: 'R' } }) },
  'POST /api/v1/auth/login': { request: async (ctx) => ({ path: '/api/v1/auth/login', body: { email: ctx.owner.email, password: 'correct horse battery' } }) },
  'POST /api/v1/auth/logout': {
    request: async (ctx, as) => {
      const login = await ctx.api.post('/api/v1/auth/login', { email: ctx.accounts[as].email, password: 'correct horse battery' });
      return { path: '/api/v1/auth/logout', token: login.body.data.token };
    },
  },
  'GET /api/v1/auth/me': { request: async () => ({ path: '/api/v1/auth/me' }) },
  'GET /api/v1/auth/providers': { request: async () => ({ path: '/api/v1/auth/providers' }) },
  'GET /api/v1/auth/oauth/:provider/start': { request: async () => ({ path: '/api/v1/auth/oauth/github/start' }) },
  'GET /api/v1/auth/oauth/:provider/callback': { request: async () => ({ path: '/api/v1/auth/oauth/github/callback?code=abc&state=def' }) },
  'POST /api/v1/auth/oauth/exchange': { request: async () => ({ path: '/api/v1/auth/oauth/exchange', body: { code: 'syn_oh_not-a-real-code' } }) },
  // orgs
  'GET /api/v1/orgs': { request: async () => ({ path: '/api/v1/orgs' }) },
  'POST /api/v1/orgs': { request: async () => ({ path: '/api/v1/orgs', body: { name: unique('Org') } }) },
  'GET /api/v1/orgs/:orgId': { request: async (ctx) => ({ path: `/api/v1/orgs/${ctx.owner.orgId}` }) },
  'PATCH /api/v1/orgs/:orgId': { request: async (ctx) => ({ path: `/api/v1/orgs/${ctx.owner.orgId}`, body: { name: unique('Renamed') } }) },
  'GET /api/v1/orgs/:orgId/members': { request: async (ctx) => ({ path: `/api/v1/orgs/${ctx.owner.orgId}/members` }) },
  'PATCH /api/v1/orgs/:orgId/members/:userId': {
    // The viewer is the one target every allowed role may re-assign to the same role.
    request: async (ctx) => ({ path: `/api/v1/orgs/${ctx.owner.orgId}/members/${ctx.accounts.viewer.userId}`, body: { role: 'viewer' } }),
  },
  'DELETE /api/v1/orgs/:orgId/members/:userId': {
    // Removing someone else: a fresh viewer per call. Leaving oneself is covered in orgs.test.ts.
    request: async (ctx) => {
      const victim = await registerAccount(ctx.api, 'victim');
      await addMember(ctx.api, ctx.owner, victim, 'viewer');
      return { path: `/api/v1/orgs/${ctx.owner.orgId}/members/${victim.userId}` };
    },
    // Only members.manage roles may remove others, even though the route is open to all (for leaving).
  },
  'GET /api/v1/orgs/:orgId/invites': { request: async (ctx) => ({ path: `/api/v1/orgs/${ctx.owner.orgId}/invites` }) },
  'POST /api/v1/orgs/:orgId/invites': { request: async (ctx) => ({ path: `/api/v1/orgs/${ctx.owner.orgId}/invites`, body: { email: `${unique('i')}@example.test`, role: 'developer' } }) },
  'DELETE /api/v1/orgs/:orgId/invites/:inviteId': {
    request: async (ctx) => ({ path: `/api/v1/orgs/${ctx.owner.orgId}/invites/${(await newInvite(ctx)).id}` }),
  },
  'GET /api/v1/invites/:token': { request: async (ctx) => ({ path: `/api/v1/invites/${(await newInvite(ctx)).token}` }) },
  'POST /api/v1/invites/:token/accept': {
    // An invite addressed to the caller: members already belong (409); a fresh outsider joins
    // (fresh, so the shared outsider stays outside for the other routes).
    request: async (ctx, as) => {
      const caller = as === 'outsider' ? await registerAccount(ctx.api, 'joiner') : ctx.accounts[as];
      const invite = await newInvite(ctx, caller.email);
      return { path: `/api/v1/invites/${invite.token}/accept`, token: caller.token };
    },
  },
  'GET /api/v1/orgs/:orgId/audit': { request: async (ctx) => ({ path: `/api/v1/orgs/${ctx.owner.orgId}/audit` }) },
  // tokens
  'GET /api/v1/tokens': { request: async () => ({ path: '/api/v1/tokens' }) },
  'POST /api/v1/tokens': { request: async () => ({ path: '/api/v1/tokens', body: { name: unique('t'), scopes: ['read'] } }) },
  'DELETE /api/v1/tokens/:id': {
    request: async (ctx, as) => {
      const created = await ctx.api.post('/api/v1/tokens', { name: unique('t'), scopes: ['read'] }, { token: ctx.accounts[as].token });
      return { path: `/api/v1/tokens/${created.body.data.id}` };
    },
  },
};
