import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock, type RunningAlerting, startAlerting } from '../../src/modules/alerts/index.js';
import { healthHubPorts } from '../../src/modules/health/index.js';
import { ServerPresence } from '../../src/modules/servers/index.js';
import { type Account, type ApiClient, apiClient, registerAccount } from '../support/api-client.js';
import { startTestEnv, type TestEnv } from '../support/test-env.js';
import { receiver, until } from './stand-ins.js';

let env: TestEnv;
let api: ApiClient;
let owner: Account;
let other: Account;
const clock = new ManualClock();
const workers: RunningAlerting[] = [];
const SECRET = 'alert-webhook-secret-0001';

async function startWorker(id: string) {
  const w = await startAlerting(env.deps.services.alerts, env.deps.services.notifications, env.deps.services.alertData, env.deps.logger, {
    redisUrl: env.config.redisUrl!,
    publicUrl: env.url,
    intervalSeconds: 30,
    leaseSeconds: 90,
    autoTick: false,
    evaluatorId: id,
  });
  workers.push(w);
  return w;
}

/** A project and service on an online server of `who`'s organisation. */
async function target(who: Account) {
  const [server] = await env.db('servers').insert({ org_id: who.orgId, name: `srv-${Math.random().toString(36).slice(2, 8)}`, agent_token_hash: crypto.randomUUID().replace(/-/g, '').padEnd(64, '0'), status: 'online' }).returning('id');
  const project = await api.post('/api/v1/projects', { name: `P${Math.random().toString(36).slice(2, 8)}`, git_repo_url: 'https://github.com/acme/app.git' }, { token: who.token, orgId: who.orgId });
  const service = await api.post(`/api/v1/projects/${project.body.data.id}/services`, { name: 'web', server_id: server!.id }, { token: who.token });
  return { serverId: server!.id as string, projectId: project.body.data.id as string, serviceId: service.body.data.id as string };
}

async function webhookChannel(url: string) {
  const res = await api.post('/api/v1/notification-channels', { name: 'hook', kind: 'webhook', config: { url, secret: SECRET } }, { token: owner.token, orgId: owner.orgId });
  expect(res.status).toBe(201);
  return res.body.data.id as string;
}

async function rule(body: Record<string, unknown>) {
  const res = await api.post('/api/v1/alert-rules', body, { token: owner.token, orgId: owner.orgId });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.data.id as string;
}

/** A deployment of the service failing (or running) through the pipeline's own state change. */
async function deployment(serviceId: string, to: 'failed' | 'running') {
  const [d] = await env.db('deployments').insert({ service_id: serviceId, status: 'deploying' }).returning('*');
  await env.deps.services.deployments.transition(d!, ['deploying'], to, to === 'failed' ? { error_message: 'health gate failed', finished_at: new Date() } : { finished_at: new Date() });
  return d!.id as string;
}

const events = async (ruleId: string) => (await api.get(`/api/v1/alert-events?rule_id=${ruleId}`, { token: owner.token, orgId: owner.orgId })).body.data.items as any[];

beforeAll(async () => {
  env = await startTestEnv({ SYNTRA_WEBHOOK_ALLOW_PRIVATE: 'true', SYNTRA_NOTIFY_BACKOFF_MS: '50' }, { services: { alertClock: clock } });
  api = apiClient(env.url);
  owner = await registerAccount(api, 'owner');
  other = await registerAccount(api, 'other');
});

afterAll(async () => {
  for (const w of workers) await w.close();
  await env?.close();
});

describe('alert rules: validation and access', () => {
  it('a nonsense condition is a 400 naming the field; unknown channels and other orgs\' scopes are refused', async () => {
    const bad = await api.post('/api/v1/alert-rules', { name: 'x', kind: 'metric_threshold', condition: { metric: 'host.cpu_percent', window_seconds: 5, op: '>', threshold: 90 } }, { token: owner.token, orgId: owner.orgId });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('condition.window_seconds');
    const unknownKind = await api.post('/api/v1/alert-rules', { name: 'x', kind: 'moon_phase', condition: {} }, { token: owner.token, orgId: owner.orgId });
    expect(unknownKind.status).toBe(400);
    const extra = await api.post('/api/v1/alert-rules', { name: 'x', kind: 'health_failing', condition: { consecutive_failures: 3, colour: 'red' } }, { token: owner.token, orgId: owner.orgId });
    expect(extra.status).toBe(400);
    const channel = await api.post('/api/v1/alert-rules', { name: 'x', kind: 'deploy_failed', condition: {}, channel_ids: [crypto.randomUUID()] }, { token: owner.token, orgId: owner.orgId });
    expect(channel.status).toBe(400);
    expect(channel.body.error.message).toContain('channel_ids');
    const theirs = await target(other);
    const scope = await api.post('/api/v1/alert-rules', { name: 'x', kind: 'deploy_failed', condition: {}, scope: { service_id: theirs.serviceId } }, { token: owner.token, orgId: owner.orgId });
    expect(scope.status).toBe(404);
    const theirChannel = await api.post('/api/v1/notification-channels', { name: 'c', kind: 'email', config: { to: ['x@example.test'] } }, { token: other.token, orgId: other.orgId });
    const foreign = await api.post('/api/v1/alert-rules', { name: 'x', kind: 'deploy_failed', condition: {}, channel_ids: [theirChannel.body.data.id] }, { token: owner.token, orgId: owner.orgId });
    expect(foreign.status).toBe(400);
    const id = await rule({ name: 'ok', kind: 'server_offline', condition: { offline_seconds: 60 } });
    const patch = await api.patch(`/api/v1/alert-rules/${id}`, { condition: { offline_seconds: -1 } }, { token: owner.token });
    expect(patch.status).toBe(400);
    expect(patch.body.error.message).toContain('offline_seconds');
    expect((await api.get(`/api/v1/alert-rules/${id}`, { token: other.token })).status).toBe(404);
    await api.delete(`/api/v1/alert-rules/${id}`, { token: owner.token });
  });
});

describe('alerting with two workers', () => {
  let hook: Awaited<ReturnType<typeof receiver>>;
  beforeAll(async () => {
    await startWorker('worker-a');
    await startWorker('worker-b');
  });
  beforeEach(async () => {
    hook = await receiver();
    return () => hook.close();
  });

  it('deploy_failed fires once from the pipeline\'s status change, with one signed webhook delivery although both workers hear it', async () => {
    const t = await target(owner);
    const channelId = await webhookChannel(`${hook.url}/alerts`);
    const ruleId = await rule({ name: 'Deploy failed', kind: 'deploy_failed', condition: {}, scope: { service_id: t.serviceId }, severity: 'critical', channel_ids: [channelId] });
    const deploymentId = await deployment(t.serviceId, 'failed');
    const [event] = await until(async () => ((await events(ruleId)).length ? events(ruleId) : null), 'the alert event');
    expect(event).toMatchObject({ status: 'firing', severity: 'critical', service_id: t.serviceId, values: { deployment_id: deploymentId } });
    await until(() => hook.received.length > 0, 'the webhook delivery');
    await new Promise((r) => setTimeout(r, 300)); // room for a (wrong) second delivery
    expect(hook.received).toHaveLength(1);
    const got = hook.received[0]!;
    expect(got.headers['x-syntra-signature']).toBe(`sha256=${createHmac('sha256', SECRET).update(got.body).digest('hex')}`);
    expect(got.json).toMatchObject({ type: 'alert.firing', status: 'firing', severity: 'critical', rule: { id: ruleId, kind: 'deploy_failed' }, event: { id: event.id }, links: { event: `${env.url}/alerts/events/${event.id}` } });
    expect(await env.db('alert_events').where({ rule_id: ruleId }).count('* as n').first()).toMatchObject({ n: 1 });

    // The next successful deploy resolves it.
    await deployment(t.serviceId, 'running');
    await until(async () => (await events(ruleId))[0].status === 'resolved', 'the resolution');
    await until(() => hook.received.length === 2, 'the resolved delivery');
    expect(hook.received[1]!.json).toMatchObject({ type: 'alert.resolved' });
  });

  it('a delivery answered 500 is retried and delivered once; a delivered one is never sent again', async () => {
    const failing = await receiver([500]);
    const t = await target(owner);
    const channelId = await webhookChannel(`${failing.url}/alerts`);
    const ruleId = await rule({ name: 'Deploy failed (retry)', kind: 'deploy_failed', condition: {}, scope: { service_id: t.serviceId }, channel_ids: [channelId] });
    await deployment(t.serviceId, 'failed');
    const [event] = await until(async () => ((await events(ruleId)).length ? events(ruleId) : null), 'the alert event');
    const detail = await until(async () => {
      const d = (await api.get(`/api/v1/alert-events/${event.id}`, { token: owner.token })).body.data;
      return d.deliveries[0]?.status === 'delivered' ? d : null;
    }, 'the delivery after a retry');
    expect(detail.deliveries[0].attempts.map((a: { status_code: number }) => a.status_code)).toEqual([500, 200]);
    expect(failing.received).toHaveLength(2);
    // A second run of the same delivery (a retried job, a duplicate enqueue) sends nothing.
    const deliveryId = detail.deliveries[0].id as string;
    expect(await env.deps.services.notifications.deliver(deliveryId, 3)).toBe('already');
    await env.deps.services.notifications.queue.enqueue([deliveryId]);
    await new Promise((r) => setTimeout(r, 300));
    expect(failing.received).toHaveLength(2);
    await failing.close();
  });

  it('server_offline waits offline_seconds (pending), fires, and resolves when the server is back', async () => {
    const t = await target(owner);
    const channelId = await webhookChannel(`${hook.url}/offline`);
    const ruleId = await rule({ name: 'Server down', kind: 'server_offline', condition: { offline_seconds: 120 }, scope: { server_id: t.serverId }, severity: 'critical', channel_ids: [channelId] });
    const presence = new ServerPresence(env.db, env.deps.services.streamPublisher);
    await presence.markOffline(t.serverId, 'agent went silent');
    const [pending] = await until(async () => ((await events(ruleId)).length ? events(ruleId) : null), 'the pending event');
    expect(pending.status).toBe('pending');
    await workers[0]!.evaluator.tick();
    await workers[1]!.evaluator.tick();
    expect((await events(ruleId))[0].status).toBe('pending');
    clock.advance(121);
    await Promise.all(workers.map((w) => w.evaluator.tick()));
    expect((await events(ruleId))[0].status).toBe('firing');
    await until(() => hook.received.length === 1, 'the firing delivery');
    await presence.markOnline(t.serverId, 'agent reconnected');
    await until(async () => (await events(ruleId))[0].status === 'resolved', 'the resolution');
    await until(() => hook.received.length === 2, 'the resolved delivery');
  });

  it('health_failing respects for_seconds and cooldown; a killed worker\'s rules are evaluated by the other', async () => {
    const t = await target(owner);
    const ruleId = await rule({ name: 'Unhealthy', kind: 'health_failing', condition: { consecutive_failures: 3 }, scope: { service_id: t.serviceId }, for_seconds: 60, cooldown_seconds: 600 });
    const sink = healthHubPorts(env.deps.services.health, env.deps.services.streamPublisher).telemetry!.health_check!;
    const report = async (healthy: boolean) =>
      sink(t.serverId, owner.orgId, [{ kind: 'health_check', ts: new Date().toISOString(), service_id: t.serviceId, healthy, status_code: healthy ? 200 : 503, response_ms: 5, error: healthy ? null : 'HTTP 503' }], undefined as never, { seq: 1 });
    for (let i = 0; i < 3; i++) await report(false);
    await until(async () => (await events(ruleId))[0]?.status === 'pending', 'the pending event');

    // Worker A claims the rule, then dies holding its lease.
    const a = workers.shift()!;
    clock.advance(30);
    await a.evaluator.tick();
    expect(await env.db('alert_rules').where({ id: ruleId }).first()).toMatchObject({ lease_owner: 'worker-a' });
    await a.close();
    const b = workers[0]!;
    clock.advance(31);
    await b.evaluator.tick(); // A's lease has not lapsed: B leaves the rule alone
    expect((await events(ruleId))[0].status).toBe('pending');
    clock.advance(90);
    await b.evaluator.tick(); // lapsed: B takes the rule over and its for_seconds have passed
    expect(await env.db('alert_rules').where({ id: ruleId }).first()).toMatchObject({ lease_owner: 'worker-b' });
    expect((await events(ruleId))[0].status).toBe('firing');

    await report(true);
    await until(async () => (await events(ruleId))[0].status === 'resolved', 'the resolution');
    // Failing again inside the cooldown: no new event.
    for (let i = 0; i < 3; i++) await report(false);
    await new Promise((r) => setTimeout(r, 300));
    clock.advance(61);
    await b.evaluator.tick();
    expect(await events(ruleId)).toHaveLength(1);
    // After the cooldown it may fire again.
    clock.advance(600);
    await report(false);
    await until(async () => (await events(ruleId)).length === 2, 'a new event after the cooldown');
    workers.unshift(await startWorker('worker-a2'));
  });

  it('acknowledging and silences: a silenced rule records events but tells nobody', async () => {
    const t = await target(owner);
    const channelId = await webhookChannel(`${hook.url}/silenced`);
    const ruleId = await rule({ name: 'Deploy failed (silenced)', kind: 'deploy_failed', condition: {}, scope: { service_id: t.serviceId }, channel_ids: [channelId] });
    const silence = await api.post('/api/v1/silences', { scope: { service_id: t.serviceId }, until: new Date(Date.now() + 3_600_000).toISOString(), comment: 'maintenance' }, { token: owner.token, orgId: owner.orgId });
    expect(silence.status).toBe(201);
    await deployment(t.serviceId, 'failed');
    const [event] = await until(async () => ((await events(ruleId)).length ? events(ruleId) : null), 'the silenced event');
    expect(event.silenced).toBe(true);
    await new Promise((r) => setTimeout(r, 300));
    expect(hook.received).toHaveLength(0);
    const ack = await api.post(`/api/v1/alert-events/${event.id}/ack`, undefined, { token: owner.token });
    expect(ack.body.data.acknowledged_by).toBe(owner.userId);
    expect((await api.post(`/api/v1/alert-events/${event.id}/ack`, undefined, { token: other.token })).status).toBe(404);
  });

  it('deploy notifications go to the channels that chose the steps', async () => {
    const t = await target(owner);
    const res = await api.post('/api/v1/notification-channels', { name: 'deploys', kind: 'webhook', config: { url: `${hook.url}/deploys`, secret: SECRET }, deploy_events: ['failed', 'succeeded'] }, { token: owner.token, orgId: owner.orgId });
    expect(res.status).toBe(201);
    await deployment(t.serviceId, 'failed');
    await deployment(t.serviceId, 'running');
    await until(() => hook.received.filter((r) => r.path === '/deploys').length === 2, 'two deploy notifications');
    expect(hook.received.map((r) => r.json.type).sort()).toEqual(['deploy.failed', 'deploy.succeeded']);
  });

  it('the service and server timelines show deploys, alert events, failed checks and offline/online', async () => {
    const t = await target(owner);
    await rule({ name: 'Deploy failed (timeline)', kind: 'deploy_failed', condition: {}, scope: { service_id: t.serviceId } });
    await deployment(t.serviceId, 'failed');
    await until(async () => (await env.db('alert_events').where({ service_id: t.serviceId }).first()) !== undefined, 'the alert event');
    const timeline = (await api.get(`/api/v1/services/${t.serviceId}/timeline`, { token: owner.token })).body.data;
    expect(timeline.entries.map((e: { kind: string }) => e.kind)).toEqual(expect.arrayContaining(['deploy', 'alert']));
    const presence = new ServerPresence(env.db, env.deps.services.streamPublisher);
    await presence.markOffline(t.serverId, 'test');
    const server = (await api.get(`/api/v1/servers/${t.serverId}/timeline`, { token: owner.token })).body.data;
    expect(server.entries).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'server_status', title: 'Server offline', severity: 'critical' })]));
    expect((await api.get(`/api/v1/servers/${t.serverId}/timeline`, { token: other.token })).status).toBe(404);
  });
});
