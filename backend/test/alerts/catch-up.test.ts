import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningAlerting, startAlerting } from '../../src/modules/alerts/index.js';
import { ServerPresence } from '../../src/modules/servers/index.js';
import { type Account, type ApiClient, apiClient, registerAccount } from '../support/api-client.js';
import { startTestEnv, type TestEnv } from '../support/test-env.js';
import { asReceived, captureEvents } from '../errors/support/sentry-capture.js';
import { until } from './stand-ins.js';

// Event kinds hear the console stream (Redis pub/sub): what is published while no evaluator
// listens is gone from there, but not from the records behind it.
let env: TestEnv;
let api: ApiClient;
let owner: Account;
let worker: RunningAlerting | null = null;

const start = async () => {
  worker = await startAlerting(env.deps.services.alerts, env.deps.services.notifications, env.deps.services.alertData, env.deps.logger, {
    redisUrl: env.config.redisUrl!,
    publicUrl: env.url,
    intervalSeconds: 30,
    autoTick: false,
  });
  return worker;
};
const stop = async () => {
  await worker?.close();
  worker = null;
};

async function target() {
  const [server] = await env.db('servers').insert({ org_id: owner.orgId, name: `srv-${Math.random().toString(36).slice(2, 7)}`, agent_token_hash: crypto.randomUUID().replace(/-/g, '').padEnd(64, '0'), status: 'online' }).returning('id');
  const project = await api.post('/api/v1/projects', { name: `P${Math.random().toString(36).slice(2, 7)}`, git_repo_url: 'https://github.com/acme/shop.git' }, { token: owner.token, orgId: owner.orgId });
  const service = await api.post(`/api/v1/projects/${project.body.data.id}/services`, { name: 'shop', server_id: server!.id }, { token: owner.token });
  return { orgId: owner.orgId, serverId: server!.id as string, projectId: project.body.data.id as string, serviceId: service.body.data.id as string };
}

async function rule(body: Record<string, unknown>) {
  const res = await api.post('/api/v1/alert-rules', { cooldown_seconds: 0, ...body }, { token: owner.token, orgId: owner.orgId });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.data.id as string;
}

const events = async (ruleId: string) => (await api.get(`/api/v1/alert-events?rule_id=${ruleId}`, { token: owner.token, orgId: owner.orgId })).body.data.items as any[];

/** A deployment failing (or going live) through the pipeline's own state change (it publishes deployment.status). */
async function deployment(serviceId: string, to: 'failed' | 'running', finishedAt = new Date()) {
  const [d] = await env.db('deployments').insert({ service_id: serviceId, status: 'deploying' }).returning('*');
  await env.deps.services.deployments.transition(d!, ['deploying'], to, to === 'failed' ? { error_message: 'image pull failed' } : {});
  // The pipeline stamps the finish with its own clock; the test dates it where it needs it.
  await env.db('deployments').where({ id: d!.id }).update({ finished_at: finishedAt });
  return d!.id as string;
}

/** An error from the real @sentry/node SDK, handed to the error module as the intake's workers do (grouped by its message wherever it is reported from). */
async function reportError(t: Awaited<ReturnType<typeof target>>, message: string) {
  const payloads = await captureEvents((s) => void s.captureException(new Error(message), { fingerprint: [message] }));
  await env.deps.services.errorIngest.process(payloads.map((p) => asReceived(p, t)));
}

/** Every rule due now, then one evaluation pass (each pass also catches the event kinds up). */
async function tick() {
  await env.db('alert_rules').update({ next_eval_at: new Date(Date.now() - 1000) });
  await worker!.evaluator.tick();
}

beforeAll(async () => {
  env = await startTestEnv();
  api = apiClient(env.url);
  owner = await registerAccount(api, 'catch-up');
});

afterAll(async () => {
  await stop();
  await env?.close();
});

describe('event kinds catch up on what happened while no evaluator listened', () => {
  it('a failed deploy, a success, a new issue and an offline server while stopped fire once each after the evaluator starts', async () => {
    const t = await target();
    const failed = await rule({ name: 'Deploy failed', kind: 'deploy_failed', condition: {}, scope: { service_id: t.serviceId }, severity: 'critical' });
    const succeeded = await rule({ name: 'Deploy done', kind: 'deploy_succeeded', condition: {}, scope: { project_id: t.projectId }, severity: 'info' });
    const newIssue = await rule({ name: 'New errors', kind: 'new_issue', condition: {}, scope: { service_id: t.serviceId } });
    const offline = await rule({ name: 'Server down', kind: 'server_offline', condition: {}, scope: { server_id: t.serverId }, severity: 'critical' });

    // Nobody listens: each of these is published on the stream and lost there.
    const failedId = await deployment(t.serviceId, 'failed');
    await reportError(t, 'stock service unreachable');
    await new ServerPresence(env.db, env.deps.services.streamPublisher).markOffline(t.serverId, 'agent went silent');
    expect(await env.db('alert_events').whereIn('rule_id', [failed, succeeded, newIssue, offline])).toEqual([]);

    await start();
    const [f] = await until(async () => ((await events(failed)).length ? events(failed) : null), 'the missed deploy failure');
    expect(f).toMatchObject({ status: 'firing', service_id: t.serviceId, values: { deployment_id: failedId } });
    const [issue] = await until(async () => ((await events(newIssue)).length ? events(newIssue) : null), 'the missed new issue');
    expect(issue.summary).toContain('stock service unreachable');
    const [down] = await until(async () => ((await events(offline)).length ? events(offline) : null), 'the missed offline server');
    expect(down).toMatchObject({ status: 'firing', server_id: t.serverId });

    // Later passes re-read the same records (and their overlap): nothing fires twice.
    await tick();
    await tick();
    for (const id of [failed, newIssue, offline]) expect(await events(id)).toHaveLength(1);
    expect(await events(succeeded)).toHaveLength(0);

    // Stopped again: the fix goes live and the server comes back unheard; the next start resolves both and tells of the success once.
    await stop();
    const fixedId = await deployment(t.serviceId, 'running');
    await new ServerPresence(env.db, env.deps.services.streamPublisher).markOnline(t.serverId, 'agent reconnected');
    await start();
    await until(async () => (await events(failed))[0].status === 'resolved', 'the failure resolved by the missed success');
    await until(async () => (await events(offline))[0].status === 'resolved', 'the server back');
    const [done] = await until(async () => ((await events(succeeded)).length ? events(succeeded) : null), 'the missed success');
    expect(done).toMatchObject({ values: { deployment_id: fixedId } });
    await tick();
    expect(await events(succeeded)).toHaveLength(1);
    expect(await events(failed)).toHaveLength(1);
  });

  it('what the live path fired is not fired again by the catch-up', async () => {
    const t = await target();
    await start();
    const failed = await rule({ name: 'Deploy failed (live)', kind: 'deploy_failed', condition: {}, scope: { service_id: t.serviceId } });
    const newIssue = await rule({ name: 'New errors (live)', kind: 'new_issue', condition: {}, scope: { service_id: t.serviceId } });
    await deployment(t.serviceId, 'failed');
    await reportError(t, 'payment gateway timeout');
    await until(async () => (await events(failed)).length === 1 && (await events(newIssue)).length === 1, 'the live events');
    await tick();
    await stop();
    await start();
    await tick();
    expect(await events(failed)).toHaveLength(1);
    expect(await events(newIssue)).toHaveLength(1);
    await stop();
  });

  it('a regression missed while stopped fires once; an older success re-read in the overlap does not resolve a newer failure', async () => {
    const t = await target();
    const regressed = await rule({ name: 'Regressions', kind: 'issue_regressed', condition: {}, scope: { project_id: t.projectId } });
    const failed = await rule({ name: 'Deploy failed (order)', kind: 'deploy_failed', condition: {}, scope: { service_id: t.serviceId } });
    await start();
    await reportError(t, 'coupon applied twice');
    const issueId = await until(async () => (await env.db('error_groups').where({ service_id: t.serviceId }).first())?.id as string | undefined, 'the issue');
    expect((await api.patch(`/api/v1/issues/${issueId}`, { status: 'resolved' }, { token: owner.token })).status).toBe(200);
    await stop();

    // While stopped: the issue comes back; a deploy goes live, then the next one fails.
    await reportError(t, 'coupon applied twice');
    await until(async () => (await env.db('error_groups').where({ id: issueId }).first())?.status === 'regressed', 'the regression stored');
    await deployment(t.serviceId, 'running', new Date(Date.now() - 2000));
    const failedId = await deployment(t.serviceId, 'failed');

    await start();
    const [back] = await until(async () => ((await events(regressed)).length ? events(regressed) : null), 'the missed regression');
    expect(back).toMatchObject({ status: 'firing', values: { issue_id: issueId } });
    const [f] = await until(async () => ((await events(failed)).length ? events(failed) : null), 'the missed failure');
    expect(f).toMatchObject({ status: 'firing', values: { deployment_id: failedId } });
    await tick();
    await tick();
    expect(await events(regressed)).toHaveLength(1);
    expect(await events(failed)).toMatchObject([{ status: 'firing' }]);
    await stop();
  });
});
