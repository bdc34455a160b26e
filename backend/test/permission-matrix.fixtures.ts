/**
 * One fixture per route in API_ROUTES (keyed "METHOD /path"), used by permission-matrix.test.ts and
 * malformed-input.test.ts. A route without a fixture fails the matrix test, so a new route cannot
 * be forgotten.
 *
 * `request(ctx, as)` returns a fresh, valid request for that route inside the OWNER's organisation
 * (`ctx.owner.orgId`), creating whatever it needs through the API with `ctx.owner.token`. It runs
 * once per caller (`as` = owner/admin/developer/viewer/outsider), so destructive routes get a fresh
 * target each time. For org-scoped routes the matrix then expects: allowed roles → `ok` (default:
 * the route's declared status), other roles → 403, an outsider (member only of another org) → 404.
 * `user` routes: every signed-in caller → `ok`; public routes are only checked for "not 5xx".
 */
import type { DeploymentStatus } from '@syntra/shared';
import { type Account, type ApiClient, addMember, registerAccount } from './support/api-client.js';
import type { TestEnv } from './support/test-env.js';
import { chTime } from '../src/modules/telemetry/index.js';

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

let seq = 0;
const unique = (tag: string) => `${tag}-${Date.now().toString(36)}-${(seq += 1)}`;

async function newInvite(ctx: MatrixCtx, email = `${unique('inv')}@example.test`) {
  const res = await ctx.api.post(`/api/v1/orgs/${ctx.owner.orgId}/invites`, { email, role: 'viewer' }, { token: ctx.owner.token });
  return res.body.data as { id: string; token: string };
}


// ---- deploy pipeline (issue 4) ----

/** A project with a service on an online server of the owner's org (agent presence = servers.status). */
async function deployTarget(ctx: MatrixCtx) {
  const [server] = await ctx.env.db('servers').insert({ org_id: ctx.owner.orgId, name: unique('srv'), agent_token_hash: unique('hash').padEnd(64, '0').slice(0, 64), status: 'online' }).returning('id');
  const project = await ctx.api.post('/api/v1/projects', { name: unique('P'), git_repo_url: 'https://github.com/acme/app.git' }, { token: ctx.owner.token, orgId: ctx.owner.orgId });
  const service = await ctx.api.post(`/api/v1/projects/${project.body.data.id}/services`, { name: 'web', server_id: server!.id }, { token: ctx.owner.token });
  return { serverId: server!.id, projectId: project.body.data.id as string, serviceId: service.body.data.id as string };
}

/** A server registered through the API in the owner's org (no agent connected). */
async function registeredServer(ctx: MatrixCtx): Promise<string> {
  const res = await ctx.api.post('/api/v1/servers', { name: unique('srv') }, { token: ctx.owner.token, orgId: ctx.owner.orgId });
  return res.body.data.server.id as string;
}

/** An online server of the owner's org (agent presence = servers.status). */
async function onlineServer(ctx: MatrixCtx) {
  const [server] = await ctx.env.db('servers').insert({ org_id: ctx.owner.orgId, name: unique('srv'), agent_token_hash: unique('hash').padEnd(64, '0').slice(0, 64), status: 'online' }).returning('id');
  return server!.id;
}

/** An ended, recorded terminal session of the owner on one of the owner's servers. */
async function terminalSessionRow(ctx: MatrixCtx) {
  const id = crypto.randomUUID();
  await ctx.env.db('terminal_sessions').insert({
    id, org_id: ctx.owner.orgId, server_id: await onlineServer(ctx), server_name: 'srv', user_id: ctx.owner.userId, target: JSON.stringify({ kind: 'host' }),
    cols: 80, rows: 24, status: 'ended', ticket_hash: '0'.repeat(64), recorded: true, ended_at: new Date(),
  });
  const { default: fs } = await import('node:fs');
  const dir = `${ctx.env.config.dataDir}/terminal-recordings`;
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(`${dir}/${id}.cast`, '{"version":2,"width":80,"height":24}\n[0.1,"o","hi"]\n');
  return id;
}

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

// ---- alerts (issue 14) ----

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

// ---- error tracking (issue 12) ----

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

// ---- telemetry (issue 13) ----

const lastHour = () => `from=${Date.now() - 3_600_000}&to=${Date.now()}`;

/** A log line of the owner's org, stored through the telemetry writer; its id (from a search). */
async function storedLogLine(ctx: MatrixCtx): Promise<string> {
  const body = unique('line');
  await ctx.env.deps.services.telemetryWriter.write('otel_logs', [{ OrgId: ctx.owner.orgId, Timestamp: chTime(Date.now()), Body: body }]);
  const res = await ctx.api.get(`/api/v1/logs?${lastHour()}&q=${body}`, { token: ctx.owner.token, orgId: ctx.owner.orgId });
  return res.body.data.items[0].id as string;
}

/** A one-span trace of the owner's org; its id. */
async function storedTrace(ctx: MatrixCtx): Promise<string> {
  const traceId = crypto.randomUUID().replace(/-/g, '');
  await ctx.env.deps.services.telemetryWriter.write('otel_traces', [{ OrgId: ctx.owner.orgId, Timestamp: chTime(Date.now()), TraceId: traceId, SpanId: '0123456789abcdef', SpanName: 'GET /', Duration: 1_000_000 }]);
  return traceId;
}

export const ROUTE_FIXTURES: Record<string, RouteFixture> = {
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
  // ---- terminal (issue 6) ----
  'POST /api/v1/servers/:serverId/terminal': {
    request: async (ctx) => ({ path: `/api/v1/servers/${await onlineServer(ctx)}/terminal`, body: { cols: 80, rows: 24, target: { kind: 'host' } } }),
  },
  'GET /api/v1/servers/:serverId/terminal-sessions': { request: async (ctx) => ({ path: `/api/v1/servers/${await onlineServer(ctx)}/terminal-sessions` }) },
  'GET /api/v1/terminal-sessions/:sessionId': { request: async (ctx) => ({ path: `/api/v1/terminal-sessions/${await terminalSessionRow(ctx)}` }) },
  'GET /api/v1/terminal-sessions/:sessionId/recording': { request: async (ctx) => ({ path: `/api/v1/terminal-sessions/${await terminalSessionRow(ctx)}/recording` }) },
  // ---- servers (issue 3) ----
  'GET /api/v1/servers': { request: async (ctx) => ({ path: '/api/v1/servers', orgId: ctx.owner.orgId }) },
  'POST /api/v1/servers': { request: async (ctx) => ({ path: '/api/v1/servers', orgId: ctx.owner.orgId, body: { name: unique('srv'), tags: ['web'] } }) },
  'GET /api/v1/servers/:serverId': { request: async (ctx) => ({ path: `/api/v1/servers/${await registeredServer(ctx)}` }) },
  'PATCH /api/v1/servers/:serverId': { request: async (ctx) => ({ path: `/api/v1/servers/${await registeredServer(ctx)}`, body: { name: unique('renamed') } }) },
  'DELETE /api/v1/servers/:serverId': { request: async (ctx) => ({ path: `/api/v1/servers/${await registeredServer(ctx)}` }) },
  'POST /api/v1/servers/:serverId/rotate-token': { request: async (ctx) => ({ path: `/api/v1/servers/${await registeredServer(ctx)}/rotate-token` }) },
  'GET /api/v1/servers/:serverId/metrics': { request: async (ctx) => ({ path: `/api/v1/servers/${await registeredServer(ctx)}/metrics?step=60` }) },
  'GET /api/v1/servers/:serverId/status-history': { request: async (ctx) => ({ path: `/api/v1/servers/${await registeredServer(ctx)}/status-history` }) },
  // The server has no agent connected: the command is queued (wait_ms 0) and answered 201 pending.
  'POST /api/v1/servers/:serverId/commands': { request: async (ctx) => ({ path: `/api/v1/servers/${await registeredServer(ctx)}/commands`, body: { name: 'host.info', args: {}, wait_ms: 0 } }) },
  'GET /api/v1/servers/:serverId/commands/:commandId': {
    request: async (ctx) => {
      const id = await registeredServer(ctx);
      const cmd = await ctx.api.post(`/api/v1/servers/${id}/commands`, { name: 'host.info', wait_ms: 0 }, { token: ctx.owner.token });
      return { path: `/api/v1/servers/${id}/commands/${cmd.body.data.id}` };
    },
  },
  // ---- telemetry query API (issue 13): rows written through the store's writer ----
  'GET /api/v1/logs': { request: async (ctx) => ({ path: `/api/v1/logs?${lastHour()}&q=hello&severity=info&attr.k=v&limit=5`, orgId: ctx.owner.orgId }) },
  'GET /api/v1/logs/facets': { request: async (ctx) => ({ path: `/api/v1/logs/facets?${lastHour()}&q=hello`, orgId: ctx.owner.orgId }) },
  'GET /api/v1/logs/context': { request: async (ctx) => ({ path: `/api/v1/logs/context?id=${await storedLogLine(ctx)}&before=2&after=2`, orgId: ctx.owner.orgId }) },
  'GET /api/v1/traces': { request: async (ctx) => ({ path: `/api/v1/traces?${lastHour()}&status=error&limit=5`, orgId: ctx.owner.orgId }) },
  'GET /api/v1/traces/:traceId': { request: async (ctx) => ({ path: `/api/v1/traces/${await storedTrace(ctx)}`, orgId: ctx.owner.orgId }) },
  'GET /api/v1/metrics': { request: async (ctx) => ({ path: `/api/v1/metrics?${lastHour()}&name=cpu&step=60&agg=avg`, orgId: ctx.owner.orgId }) },
  'GET /api/v1/metrics/names': { request: async (ctx) => ({ path: '/api/v1/metrics/names', orgId: ctx.owner.orgId }) },
  'GET /api/v1/metrics/spans': { request: async (ctx) => ({ path: `/api/v1/metrics/spans?${lastHour()}&step=60`, orgId: ctx.owner.orgId }) },
  // Agent-token and HMAC authenticated (public in the table): only "never 5xx" is checked here.
  'GET /api/v1/artifacts/:artifactId': { request: async () => ({ path: `/api/v1/artifacts/${crypto.randomUUID()}` }) },
  'PUT /api/v1/artifacts/uploads/:deploymentId': { request: async () => ({ path: `/api/v1/artifacts/uploads/${crypto.randomUUID()}` }) },
  'POST /api/v1/webhooks/github': { request: async () => ({ path: '/api/v1/webhooks/github', body: { zen: 'hi' } }) },
  'POST /api/v1/webhooks/github/:projectId': { request: async (ctx) => ({ path: `/api/v1/webhooks/github/${(await deployTarget(ctx)).projectId}`, body: { zen: 'hi' } }) },
  'POST /api/v1/projects/:projectId/webhook': { request: async (ctx) => ({ path: `/api/v1/projects/${(await deployTarget(ctx)).projectId}/webhook` }) },
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

// ---- AI (issue 15) ----
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

/**
 * Routes whose designed answer for some callers differs from the permission table, with why.
 * Key: route id → caller → expected status.
 */
export const MATRIX_EXCEPTIONS: Record<string, Partial<Record<Caller, number>>> = {
  // Open to every member so anyone can leave; removing someone else needs members.manage.
  'DELETE /api/v1/orgs/:orgId/members/:userId': { developer: 403, viewer: 403 },
  // A recording is replayed by the session's owner or the org's admins, not by other developers.
  'GET /api/v1/terminal-sessions/:sessionId/recording': { developer: 403 },
  // Accepting an invite to an organisation you already belong to is a conflict.
  'POST /api/v1/invites/:token/accept': { owner: 409, admin: 409, developer: 409, viewer: 409 },
};
