import { deployTarget, unique } from './targets.js';
import type { MatrixCtx, ModuleFixtures } from './types.js';

/** An issue of the owner's org, made the way the intake's workers make them (ErrorIngestService), with its deployment. */
async function ownerIssue(ctx: MatrixCtx) {
  const { projectId, serviceId } = await deployTarget(ctx);
  const [d] = await ctx.env.db('deployments').insert({ service_id: serviceId, status: 'running', git_commit_sha: 'c0ffee'.padEnd(40, '0'), status_changed_at: new Date(Date.now() - 60_000) }).returning('id');
  const eventId = crypto.randomUUID().replace(/-/g, '');
  await ctx.env.deps.services.errorIngest.process([{
    orgId: ctx.owner.orgId, projectId, serviceId, keyId: crypto.randomUUID(), eventId, receivedAt: new Date().toISOString(),
    payload: { event_id: eventId, platform: 'node', level: 'error', message: unique('matrix issue') }, clientIp: null, attachments: [],
  }]);
  const issue = await ctx.env.db('error_groups').where({ service_id: serviceId }).first('id');
  return { projectId, serviceId, issueId: issue!.id, eventId, deploymentId: d!.id as string };
}

// ---- error tracking (issue 12): client keys, intake settings, issues ----
export const ERROR_FIXTURES: ModuleFixtures = {
  // ---- client keys (issue 12) ----
  'GET /api/v1/services/:serviceId/keys': { request: async (ctx) => ({ path: `/api/v1/services/${(await deployTarget(ctx)).serviceId}/keys` }) },
  'POST /api/v1/services/:serviceId/keys': { request: async (ctx) => ({ path: `/api/v1/services/${(await deployTarget(ctx)).serviceId}/keys`, body: {} }) },
  'DELETE /api/v1/services/:serviceId/keys/:keyId': {
    request: async (ctx) => {
      const { serviceId } = await deployTarget(ctx);
      const keys = await ctx.api.get(`/api/v1/services/${serviceId}/keys`, { token: ctx.owner.token });
      return { path: `/api/v1/services/${serviceId}/keys/${keys.body.data.items[0].id}` };
    },
  },
  'GET /api/v1/services/:serviceId/attachments/:attachmentId': {
    request: async (ctx) => {
      const { serviceId } = await deployTarget(ctx);
      const [a] = await ctx.env.db('ingest_attachments').insert({ service_id: serviceId, event_id: 'a'.repeat(32), filename: 'log.txt', size: 2, data: Buffer.from('hi') }).returning('id');
      return { path: `/api/v1/services/${serviceId}/attachments/${a!.id}` };
    },
  },
  'GET /api/v1/services/:serviceId/intake': { request: async (ctx) => ({ path: `/api/v1/services/${(await deployTarget(ctx)).serviceId}/intake` }) },
  'PATCH /api/v1/services/:serviceId/intake': { request: async (ctx) => ({ path: `/api/v1/services/${(await deployTarget(ctx)).serviceId}/intake`, body: { allowed_origins: ['https://app.example.test'] } }) },
  // error tracking (issue 12)
  'GET /api/v1/projects/:projectId/issues': { request: async (ctx) => ({ path: `/api/v1/projects/${(await ownerIssue(ctx)).projectId}/issues?status=unresolved&sort=events` }) },
  'GET /api/v1/issues': { request: async (ctx) => ({ path: '/api/v1/issues?limit=10', orgId: ctx.owner.orgId }) },
  'PATCH /api/v1/issues': { request: async (ctx) => ({ path: '/api/v1/issues', body: { ids: [(await ownerIssue(ctx)).issueId], status: 'resolved' }, orgId: ctx.owner.orgId }) },
  'GET /api/v1/issues/:issueId': { request: async (ctx) => ({ path: `/api/v1/issues/${(await ownerIssue(ctx)).issueId}` }) },
  'PATCH /api/v1/issues/:issueId': { request: async (ctx) => ({ path: `/api/v1/issues/${(await ownerIssue(ctx)).issueId}`, body: { status: 'ignored' } }) },
  'GET /api/v1/issues/:issueId/events': { request: async (ctx) => ({ path: `/api/v1/issues/${(await ownerIssue(ctx)).issueId}/events?limit=5` }) },
  'GET /api/v1/issues/:issueId/events/:eventId': {
    request: async (ctx) => {
      const { issueId, eventId } = await ownerIssue(ctx);
      return { path: `/api/v1/issues/${issueId}/events/${eventId}` };
    },
  },
  'GET /api/v1/orgs/:orgId/error-retention': { request: async (ctx) => ({ path: `/api/v1/orgs/${ctx.owner.orgId}/error-retention` }) },
  'PUT /api/v1/orgs/:orgId/error-retention': { request: async (ctx) => ({ path: `/api/v1/orgs/${ctx.owner.orgId}/error-retention`, body: { retention_days: 30 } }) },
  'GET /api/v1/deployments/:deploymentId/issues': { request: async (ctx) => ({ path: `/api/v1/deployments/${(await ownerIssue(ctx)).deploymentId}/issues` }) },
};
