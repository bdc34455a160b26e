import { deployTarget } from './targets.js';
import type { Caller, MatrixCtx, ModuleFixtures } from './types.js';

// The matrix runs with AI off (no ANTHROPIC_API_KEY): a caller the table lets through reaches the
// handler, which answers 409 AI_DISABLED; the AI-on behaviour is in backend/test/ai/.

/** A conversation of `as` in the owner's organisation (personal: each caller gets their own). */
async function aiConversation(ctx: MatrixCtx, as: Caller) {
  const [row] = await ctx.env.db('ai_conversations').insert({ org_id: ctx.owner.orgId, user_id: ctx.accounts[as].userId, title: 'matrix' }).returning('id');
  return row!.id;
}

/** A service of the owner's org with a saved Dockerfile. */
async function savedDockerfileService(ctx: MatrixCtx) {
  const { serviceId } = await deployTarget(ctx);
  await ctx.env.db('service_dockerfiles').insert({ service_id: serviceId, dockerfile: 'FROM node:22-slim\n' });
  return serviceId;
}

/** A pending proposal of `as` in the owner's organisation. */
async function aiProposal(ctx: MatrixCtx, as: Caller) {
  const conversationId = await aiConversation(ctx, as);
  const [row] = await ctx.env.db('ai_proposals').insert({
    conversation_id: conversationId, org_id: ctx.owner.orgId, user_id: ctx.accounts[as].userId, action: 'deploy', args: { service_id: crypto.randomUUID() }, summary: 'Deploy web',
  }).returning('id');
  return row!.id;
}

export const AI_FIXTURES: ModuleFixtures = {
  // ---- AI (issue 15): 409 AI_DISABLED for the callers the table admits (see aiConversation) ----
  'POST /api/v1/ai/chat': { ok: 409, request: async (ctx) => ({ path: '/api/v1/ai/chat', orgId: ctx.owner.orgId, body: { message: 'Which servers are offline?' } }) },
  'GET /api/v1/ai/conversations': { ok: 409, request: async (ctx) => ({ path: '/api/v1/ai/conversations', orgId: ctx.owner.orgId }) },
  'GET /api/v1/ai/conversations/:conversationId': { ok: 409, request: async (ctx, as) => ({ path: `/api/v1/ai/conversations/${await aiConversation(ctx, as)}` }) },
  'POST /api/v1/ai/proposals/:proposalId/approve': { ok: 409, request: async (ctx, as) => ({ path: `/api/v1/ai/proposals/${await aiProposal(ctx, as)}/approve` }) },
  'POST /api/v1/ai/proposals/:proposalId/reject': { ok: 409, request: async (ctx, as) => ({ path: `/api/v1/ai/proposals/${await aiProposal(ctx, as)}/reject` }) },
  'POST /api/v1/ai/generate-dockerfile': { ok: 409, request: async (ctx) => ({ path: '/api/v1/ai/generate-dockerfile', orgId: ctx.owner.orgId, body: { service_id: (await deployTarget(ctx)).serviceId } }) },
  'POST /api/v1/ai/analyze-error': { ok: 409, request: async (ctx) => ({ path: '/api/v1/ai/analyze-error', orgId: ctx.owner.orgId, body: { issue_id: crypto.randomUUID(), force_refresh: false } }) },
  'GET /api/v1/ai/settings': { ok: 409, request: async (ctx) => ({ path: '/api/v1/ai/settings', orgId: ctx.owner.orgId }) },
  // A service's saved Dockerfile: not an AI route (it works with AI off).
  'GET /api/v1/services/:serviceId/build-detection': {
    request: async (ctx) => {
      // Its server offline: the answer is `unknown` at once (an online one without an agent would wait for the repo.files answer).
      const t = await deployTarget(ctx);
      await ctx.env.db('servers').where({ id: t.serverId }).update({ status: 'offline' });
      return { path: `/api/v1/services/${t.serviceId}/build-detection` };
    },
  },
  'GET /api/v1/services/:serviceId/dockerfile': { request: async (ctx) => ({ path: `/api/v1/services/${await savedDockerfileService(ctx)}/dockerfile` }) },
  'PUT /api/v1/services/:serviceId/dockerfile': { request: async (ctx) => ({ path: `/api/v1/services/${(await deployTarget(ctx)).serviceId}/dockerfile`, body: { dockerfile: 'FROM node:22-slim\nCMD ["node", "index.js"]\n', dockerignore: '.git\n' } }) },
  'DELETE /api/v1/services/:serviceId/dockerfile': { request: async (ctx) => ({ path: `/api/v1/services/${await savedDockerfileService(ctx)}/dockerfile` }) },
  'PATCH /api/v1/ai/settings': { ok: 409, request: async (ctx) => ({ path: '/api/v1/ai/settings', orgId: ctx.owner.orgId, body: { auto_analyze: true } }) },
};
