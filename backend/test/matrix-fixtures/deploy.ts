import type { DeploymentStatus } from '@syntra/shared';
import { deployTarget, unique } from './targets.js';
import type { MatrixCtx, ModuleFixtures } from './types.js';

/** A deployment row in `status` (with an artifact when it ran), straight in the database. */
async function deploymentRow(ctx: MatrixCtx, serviceId: string, status: string) {
  const [artifact] = await ctx.env.db('artifacts').insert({ org_id: ctx.owner.orgId, service_id: serviceId, kind: 'image', image_ref: 'example/app:1', digest: 'ref:example/app:1' }).returning('id');
  const [d] = await ctx.env.db('deployments').insert({ service_id: serviceId, status: status as DeploymentStatus, artifact_id: artifact!.id, finished_at: new Date() }).returning('id');
  return d!.id;
}

/** An unused domain claim of the owner's org (services.service creates them; straight in the database here). */
async function domainClaim(ctx: MatrixCtx) {
  const [row] = await ctx.env.db('domain_claims').insert({ org_id: ctx.owner.orgId, hostname: `${unique('claim')}.example.test`, verification_token: 'f'.repeat(48) }).returning('id');
  return row!.id;
}

// ---- deploy pipeline (issue 4), domain claims (issue 10), artifacts and webhooks ----
export const DEPLOY_FIXTURES: ModuleFixtures = {
  // deploy pipeline (issue 4)
  'GET /api/v1/projects': { request: async (ctx) => ({ path: '/api/v1/projects', orgId: ctx.owner.orgId }) },
  'POST /api/v1/projects': { request: async (ctx) => ({ path: '/api/v1/projects', orgId: ctx.owner.orgId, body: { name: unique('Proj'), git_repo_url: 'https://github.com/acme/app.git', git_branch: 'main' } }) },
  'GET /api/v1/projects/:projectId': { request: async (ctx) => ({ path: `/api/v1/projects/${(await deployTarget(ctx)).projectId}` }) },
  'PATCH /api/v1/projects/:projectId': { request: async (ctx) => ({ path: `/api/v1/projects/${(await deployTarget(ctx)).projectId}`, body: { description: 'changed' } }) },
  'DELETE /api/v1/projects/:projectId': { request: async (ctx) => ({ path: `/api/v1/projects/${(await deployTarget(ctx)).projectId}` }) },
  'GET /api/v1/projects/:projectId/services': { request: async (ctx) => ({ path: `/api/v1/projects/${(await deployTarget(ctx)).projectId}/services` }) },
  'POST /api/v1/projects/:projectId/services': {
    request: async (ctx) => {
      const t = await deployTarget(ctx);
      return { path: `/api/v1/projects/${t.projectId}/services`, body: { name: 'api', server_id: t.serverId, port: 8100, domains: [`${unique('d')}.example.test`], health_check: { path: '/health' } } };
    },
  },
  'GET /api/v1/services/:serviceId': { request: async (ctx) => ({ path: `/api/v1/services/${(await deployTarget(ctx)).serviceId}` }) },
  'PATCH /api/v1/services/:serviceId': { request: async (ctx) => ({ path: `/api/v1/services/${(await deployTarget(ctx)).serviceId}`, body: { replicas: 2, auto_deploy: false } }) },
  'DELETE /api/v1/services/:serviceId': { request: async (ctx) => ({ path: `/api/v1/services/${(await deployTarget(ctx)).serviceId}` }) },
  'GET /api/v1/services/:serviceId/env': { request: async (ctx) => ({ path: `/api/v1/services/${(await deployTarget(ctx)).serviceId}/env` }) },
  'PUT /api/v1/services/:serviceId/env': { request: async (ctx) => ({ path: `/api/v1/services/${(await deployTarget(ctx)).serviceId}/env`, body: { vars: { API_KEY: 'secret' } } }) },
  'PATCH /api/v1/services/:serviceId/env': { request: async (ctx) => ({ path: `/api/v1/services/${(await deployTarget(ctx)).serviceId}/env`, body: { set: { A: '1' }, unset: ['B'] } }) },
  'POST /api/v1/services/:serviceId/deploy': { request: async (ctx) => ({ path: `/api/v1/services/${(await deployTarget(ctx)).serviceId}/deploy`, body: { git_ref: 'main' } }) },
  'POST /api/v1/services/:serviceId/rollback': {
    request: async (ctx) => {
      const t = await deployTarget(ctx);
      return { path: `/api/v1/services/${t.serviceId}/rollback`, body: { deployment_id: await deploymentRow(ctx, t.serviceId, 'running') } };
    },
  },
  'POST /api/v1/services/:serviceId/restart': {
    request: async (ctx) => {
      const t = await deployTarget(ctx);
      await ctx.env.db('services').where({ id: t.serviceId }).update({ current_deployment_id: await deploymentRow(ctx, t.serviceId, 'running') });
      return { path: `/api/v1/services/${t.serviceId}/restart` };
    },
  },
  'GET /api/v1/deployments': { request: async (ctx) => ({ path: `/api/v1/deployments?limit=5&status=running`, orgId: ctx.owner.orgId }) },
  'GET /api/v1/servers/:serverId/services': { request: async (ctx) => ({ path: `/api/v1/servers/${(await deployTarget(ctx)).serverId}/services` }) },
  'GET /api/v1/services/:serviceId/deployments': { request: async (ctx) => ({ path: `/api/v1/services/${(await deployTarget(ctx)).serviceId}/deployments` }) },
  'GET /api/v1/services/:serviceId/health': { request: async (ctx) => ({ path: `/api/v1/services/${(await deployTarget(ctx)).serviceId}/health?limit=5` }) },
  'GET /api/v1/services/:serviceId/logs': { request: async (ctx) => ({ path: `/api/v1/services/${(await deployTarget(ctx)).serviceId}/logs?tail=10` }) },
  'GET /api/v1/deployments/:deploymentId': {
    request: async (ctx) => ({ path: `/api/v1/deployments/${await deploymentRow(ctx, (await deployTarget(ctx)).serviceId, 'running')}?tail=10` }),
  },
  'POST /api/v1/deployments/:deploymentId/cancel': {
    request: async (ctx) => ({ path: `/api/v1/deployments/${await deploymentRow(ctx, (await deployTarget(ctx)).serviceId, 'queued')}/cancel` }),
  },
  'GET /api/v1/deployments/:deploymentId/diff': {
    request: async (ctx) => {
      const t = await deployTarget(ctx);
      const [a, b] = [await deploymentRow(ctx, t.serviceId, 'running'), await deploymentRow(ctx, t.serviceId, 'running')];
      return { path: `/api/v1/deployments/${b}/diff?against=${a}` };
    },
  },
  // ---- domain claims (issue 10) ----
  'GET /api/v1/domains': { request: async (ctx) => ({ path: '/api/v1/domains', orgId: ctx.owner.orgId }) },
  'POST /api/v1/domains': { request: async (ctx) => ({ path: '/api/v1/domains', orgId: ctx.owner.orgId, body: { hostname: `${unique('pre')}.example.test` } }) },
  // No TXT record exists for these names: the claim is answered 200, still pending, with last_error.
  'POST /api/v1/domains/:domainId/verify': { request: async (ctx) => ({ path: `/api/v1/domains/${await domainClaim(ctx)}/verify` }) },
  'DELETE /api/v1/domains/:domainId': { request: async (ctx) => ({ path: `/api/v1/domains/${await domainClaim(ctx)}` }) },
  // Agent-token and HMAC authenticated (public in the table): only "never 5xx" is checked here.
  'GET /api/v1/artifacts/:artifactId': { request: async () => ({ path: `/api/v1/artifacts/${crypto.randomUUID()}` }) },
  'PUT /api/v1/artifacts/uploads/:deploymentId': { request: async () => ({ path: `/api/v1/artifacts/uploads/${crypto.randomUUID()}` }) },
  'POST /api/v1/webhooks/github': { request: async () => ({ path: '/api/v1/webhooks/github', body: { zen: 'hi' } }) },
  'POST /api/v1/webhooks/github/:projectId': { request: async (ctx) => ({ path: `/api/v1/webhooks/github/${(await deployTarget(ctx)).projectId}`, body: { zen: 'hi' } }) },
  'POST /api/v1/projects/:projectId/webhook': { request: async (ctx) => ({ path: `/api/v1/projects/${(await deployTarget(ctx)).projectId}/webhook` }) },
};
