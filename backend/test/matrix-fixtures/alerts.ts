import { deployTarget, registeredServer, unique } from './targets.js';
import type { MatrixCtx, ModuleFixtures } from './types.js';

async function alertChannel(ctx: MatrixCtx): Promise<string> {
  const res = await ctx.api.post('/api/v1/notification-channels', { name: unique('ch'), kind: 'webhook', config: { url: 'https://hooks.example.test/syntra', secret: 'a-long-enough-secret' } }, { token: ctx.owner.token, orgId: ctx.owner.orgId });
  return res.body.data.id as string;
}

async function alertRule(ctx: MatrixCtx): Promise<string> {
  const res = await ctx.api.post('/api/v1/alert-rules', { name: unique('rule'), kind: 'deploy_failed', condition: {}, severity: 'critical' }, { token: ctx.owner.token, orgId: ctx.owner.orgId });
  return res.body.data.id as string;
}

async function alertEvent(ctx: MatrixCtx): Promise<string> {
  const [row] = await ctx.env.db('alert_events').insert({ org_id: ctx.owner.orgId, rule_id: await alertRule(ctx), status: 'firing', severity: 'critical', subject_key: unique('subject'), summary: 'fixture', started_at: new Date(), fired_at: new Date() }).returning('id');
  return row!.id;
}

async function silence(ctx: MatrixCtx): Promise<string> {
  const res = await ctx.api.post('/api/v1/silences', { rule_id: await alertRule(ctx), until: new Date(Date.now() + 3_600_000).toISOString() }, { token: ctx.owner.token, orgId: ctx.owner.orgId });
  return res.body.data.id as string;
}

// ---- alerts (issue 14) ----
export const ALERT_FIXTURES: ModuleFixtures = {
  // ---- alerts (issue 14) ----
  'GET /api/v1/notification-channels': { request: async (ctx) => ({ path: '/api/v1/notification-channels', orgId: ctx.owner.orgId }) },
  'POST /api/v1/notification-channels': {
    request: async (ctx) => ({ path: '/api/v1/notification-channels', orgId: ctx.owner.orgId, body: { name: unique('ch'), kind: 'slack', config: { webhook_url: 'https://hooks.example.test/services/T0/B0/x' } } }),
  },
  'PATCH /api/v1/notification-channels/:channelId': { request: async (ctx) => ({ path: `/api/v1/notification-channels/${await alertChannel(ctx)}`, body: { name: unique('renamed') } }) },
  'DELETE /api/v1/notification-channels/:channelId': { request: async (ctx) => ({ path: `/api/v1/notification-channels/${await alertChannel(ctx)}` }) },
  // The receiver's name does not resolve: answered 200 with delivered false and the error.
  'POST /api/v1/notification-channels/:channelId/test': { request: async (ctx) => ({ path: `/api/v1/notification-channels/${await alertChannel(ctx)}/test` }) },
  'GET /api/v1/alert-rules': { request: async (ctx) => ({ path: '/api/v1/alert-rules', orgId: ctx.owner.orgId }) },
  'POST /api/v1/alert-rules': {
    request: async (ctx) => ({ path: '/api/v1/alert-rules', orgId: ctx.owner.orgId, body: { name: unique('rule'), kind: 'health_failing', condition: { consecutive_failures: 3 }, severity: 'warning' } }),
  },
  'POST /api/v1/alert-rules/preview': {
    request: async (ctx) => ({ path: '/api/v1/alert-rules/preview', orgId: ctx.owner.orgId, body: { name: 'preview', kind: 'log_match', condition: { query: 'timeout', window_seconds: 600, threshold: 5 } } }),
  },
  'GET /api/v1/alert-rules/:ruleId': { request: async (ctx) => ({ path: `/api/v1/alert-rules/${await alertRule(ctx)}` }) },
  'PATCH /api/v1/alert-rules/:ruleId': { request: async (ctx) => ({ path: `/api/v1/alert-rules/${await alertRule(ctx)}`, body: { enabled: false } }) },
  'DELETE /api/v1/alert-rules/:ruleId': { request: async (ctx) => ({ path: `/api/v1/alert-rules/${await alertRule(ctx)}` }) },
  'GET /api/v1/alert-events': { request: async (ctx) => ({ path: '/api/v1/alert-events?status=firing&limit=5', orgId: ctx.owner.orgId }) },
  'GET /api/v1/alert-events/:eventId': { request: async (ctx) => ({ path: `/api/v1/alert-events/${await alertEvent(ctx)}` }) },
  'POST /api/v1/alert-events/:eventId/ack': { request: async (ctx) => ({ path: `/api/v1/alert-events/${await alertEvent(ctx)}/ack` }) },
  'GET /api/v1/silences': { request: async (ctx) => ({ path: '/api/v1/silences', orgId: ctx.owner.orgId }) },
  'POST /api/v1/silences': { request: async (ctx) => ({ path: '/api/v1/silences', orgId: ctx.owner.orgId, body: { rule_id: await alertRule(ctx), until: new Date(Date.now() + 3_600_000).toISOString() } }) },
  'DELETE /api/v1/silences/:silenceId': { request: async (ctx) => ({ path: `/api/v1/silences/${await silence(ctx)}` }) },
  'GET /api/v1/services/:serviceId/timeline': { request: async (ctx) => ({ path: `/api/v1/services/${(await deployTarget(ctx)).serviceId}/timeline` }) },
  'GET /api/v1/servers/:serverId/timeline': { request: async (ctx) => ({ path: `/api/v1/servers/${await registeredServer(ctx)}/timeline` }) },
};
