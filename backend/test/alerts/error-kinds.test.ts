import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Account, ApiClient } from '../support/api-client.js';
import { startTestEnv, type TestEnv } from '../support/test-env.js';
import { type AlertRig, startAlertRig } from './alert-rig.js';
import { ManualClock } from '../../src/modules/alerts/index.js';
import { asReceived, captureEvents } from '../errors/support/sentry-capture.js';
import { until } from './stand-ins.js';

// Alerting's time, turned by hand: events age out of a window without rewriting stored rows.
const clock = new ManualClock();
/** Alerting's time moved to a moment just after what was reported (events carry the real time). */
const catchUp = () => clock.advance((Date.now() - clock.now().getTime()) / 1000 + 1);
let rig: AlertRig<TestEnv>;
let env: TestEnv;
let api: ApiClient;
let owner: Account;

async function target() {
  const [server] = await env.db('servers').insert({ org_id: owner.orgId, name: 'srv-errors', agent_token_hash: 'e'.repeat(64), status: 'online' }).returning('id');
  const project = await api.post('/api/v1/projects', { name: 'Shop', git_repo_url: 'https://github.com/acme/shop.git' }, { token: owner.token, orgId: owner.orgId });
  const service = await api.post(`/api/v1/projects/${project.body.data.id}/services`, { name: 'checkout', server_id: server!.id }, { token: owner.token });
  return { orgId: owner.orgId, projectId: project.body.data.id as string, serviceId: service.body.data.id as string };
}

const rule = (body: Record<string, unknown>) => rig.rule(body);
const events = (ruleId: string) => rig.events(ruleId);

/** Errors as the real @sentry/node SDK serialises them, handed to the error module as the intake's workers do. */
async function reportErrors(src: Awaited<ReturnType<typeof target>>, n: number, message = 'card declined') {
  const payloads = await captureEvents((s) => {
    for (let i = 0; i < n; i++) s.captureException(new Error(message));
  });
  await env.deps.services.errorIngest.process(payloads.map((p) => asReceived(p, src)));
}

beforeAll(async () => {
  rig = await startAlertRig(await startTestEnv({ SYNTRA_WEBHOOK_ALLOW_PRIVATE: 'true' }, { services: { alertClock: clock } }), 'errors-owner');
  ({ env, api, owner } = rig);
});
afterAll(() => rig?.close());

describe('alert kinds over error tracking (issue 12)', () => {
  it('new_issue fires as the issue is created, resolves with it; issue_regressed fires when it comes back', async () => {
    const src = await target();
    const newIssue = await rule({ name: 'New errors in checkout', kind: 'new_issue', condition: { level: 'error' }, scope: { service_id: src.serviceId }, severity: 'warning' });
    const regressed = await rule({ name: 'Checkout regressions', kind: 'issue_regressed', condition: {}, scope: { project_id: src.projectId }, severity: 'critical' });
    const warningsOnly = await rule({ name: 'Fatal only', kind: 'new_issue', condition: { level: 'fatal' }, scope: { service_id: src.serviceId } });

    await reportErrors(src, 1);
    const [fired] = await until(async () => ((await events(newIssue)).length ? events(newIssue) : null), 'the new_issue event');
    expect(fired).toMatchObject({ status: 'firing', service_id: src.serviceId, values: { level: 'error' } });
    expect(fired.summary).toContain('card declined');
    expect(await events(warningsOnly)).toHaveLength(0);

    const issueId = fired.values.issue_id as string;
    expect((await api.patch(`/api/v1/issues/${issueId}`, { status: 'resolved' }, { token: owner.token })).status).toBe(200);
    await until(async () => (await events(newIssue))[0].status === 'resolved', 'the resolution with the issue');

    await reportErrors(src, 1);
    const [back] = await until(async () => ((await events(regressed)).length ? events(regressed) : null), 'the issue_regressed event');
    expect(back).toMatchObject({ status: 'firing', severity: 'critical', values: { issue_id: issueId } });
    expect(await events(newIssue)).toHaveLength(1);
  });

  it('error_rate fires on the service\'s events per minute over the window and resolves when it calms down', async () => {
    const src = await target();
    const ruleId = await rule({ name: 'Checkout error rate', kind: 'error_rate', condition: { window_seconds: 60, per_minute_above: 2 }, scope: { service_id: src.serviceId }, cooldown_seconds: 0 });
    await reportErrors(src, 2, 'timeout talking to bank');
    catchUp();
    await rig.worker.evaluator.tick();
    expect(await events(ruleId)).toHaveLength(0);
    await reportErrors(src, 2, 'timeout talking to bank');
    catchUp();
    await env.db('alert_rules').where({ id: ruleId }).update({ next_eval_at: new Date() });
    await rig.worker.evaluator.tick();
    const [e] = await events(ruleId);
    expect(e).toMatchObject({ status: 'firing', values: { events: 4, per_minute: 4 } });
    // An hour later the events are out of the window: resolved.
    clock.advance(3600);
    await env.db('alert_rules').where({ id: ruleId }).update({ next_eval_at: clock.now() });
    await rig.worker.evaluator.tick();
    expect((await events(ruleId))[0].status).toBe('resolved');
  });
});
