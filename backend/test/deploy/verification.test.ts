import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/agent-env.js';
import { type AgentRig, deployAndWait, finished, startAgentRig } from './agent-rig.js';
import { receiver } from '../alerts/stand-ins.js';
import { gitRemote } from './git-repo.js';
import { waitFor } from './support.js';

/**
 * The second version of the example app: it serves as v1 does, and throws while it runs, reporting
 * each error to its DSN as a Sentry SDK would (an envelope posted with plain fetch: the example has
 * no dependencies). It starts throwing a moment after it listens, once it is the version serving.
 */
const THROWING_V2 = `
import http from 'node:http';
import { randomUUID } from 'node:crypto';

const port = Number(process.env.PORT || 3000);
const dsn = new URL(process.env.SENTRY_DSN);
const envelopeUrl = \`\${dsn.protocol}//\${dsn.host}/api\${dsn.pathname}/envelope/?sentry_key=\${dsn.username}&sentry_version=7\`;

function chargeCard() {
  throw new TypeError("Cannot read properties of undefined (reading 'amount')");
}

async function report(err) {
  const id = randomUUID().replaceAll('-', '');
  const event = {
    event_id: id,
    timestamp: Date.now() / 1000,
    platform: 'node',
    level: 'error',
    release: 'v2',
    exception: { values: [{ type: err.name, value: err.message, stacktrace: { frames: [{ function: 'chargeCard', filename: 'server.js', lineno: 9, in_app: true }] } }] },
  };
  const body = [JSON.stringify({ event_id: id, sent_at: new Date().toISOString() }), JSON.stringify({ type: 'event' }), JSON.stringify(event)].join('\\n') + '\\n';
  await fetch(envelopeUrl, { method: 'POST', body, headers: { 'content-type': 'application/x-sentry-envelope' } }).catch(() => undefined);
}

const server = http.createServer((req, res) => {
  if (req.url === '/health') return res.end('{"ok":true}');
  try {
    chargeCard();
  } catch (err) {
    void report(err);
    res.writeHead(500);
    return res.end('checkout failed');
  }
});
server.listen(port, '0.0.0.0', () => {
  console.log('node-hello v2 listening on ' + port);
  // Its own traffic: a checkout every 100 ms, each one throwing.
  setTimeout(() => setInterval(() => http.get(\`http://127.0.0.1:\${port}/checkout\`, (r) => r.resume()).on('error', () => undefined), 100), 1500);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
`;

let rig: AgentRig;

beforeAll(async () => {
  // Checks every second instead of every 15 s, so a clear regression is concluded within seconds.
  rig = await startAgentRig({ tag: 'verify', env: { SYNTRA_VERIFY_CHECK_SECONDS: '1' } });
}, 90_000);
afterAll(async () => {
  await rig?.close();
});

describe('post-deploy verification (issue 14)', () => {
  it('a second version that throws fails its verification, fires deploy_regressed and is rolled back to v1 automatically', async () => {
    const { api, owner, env } = rig;
    const as = { token: owner.token, orgId: owner.orgId };
    const repo = gitRemote(tempDir('verify-git'));
    repo.commitAndPush({ VERSION: 'v1\n' }, 'v1');
    const project = await api.post('/api/v1/projects', { name: 'Checkout', git_repo_url: repo.url }, as);
    const created = await api.post(`/api/v1/projects/${project.body.data.id}/services`, { name: 'checkout', server_id: rig.server.id }, as);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const serviceId = created.body.data.id as string;
    expect(created.body.data.verify).toBeNull();

    // The setting: omitted fields take their defaults; nonsense is a 400 naming the field.
    const bad = await api.patch(`/api/v1/services/${serviceId}`, { verify: { minutes: 0 } }, as);
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.error)).toContain('minutes');
    const patched = await api.patch(`/api/v1/services/${serviceId}`, { verify: { minutes: 5, max_error_rate_increase: 1, on_new_issues: false, auto_rollback: true } }, as);
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(patched.body.data.verify).toEqual({ minutes: 5, max_error_rate_increase: 1, max_p95_increase_pct: 50, on_new_issues: false, auto_rollback: true });
    expect((await api.get(`/api/v1/services/${serviceId}`, as)).body.data.verify).toMatchObject({ auto_rollback: true });

    // The alert goes to a webhook channel (a local receiver standing in for the team's endpoint).
    const hook = await receiver();
    const channel = await api.post('/api/v1/notification-channels', { name: 'team hook', kind: 'webhook', config: { url: `${hook.url}/alerts`, secret: 's3cret-for-verify' } }, as);
    expect(channel.status, JSON.stringify(channel.body)).toBe(201);
    const rule = await api.post('/api/v1/alert-rules', { name: 'Checkout regressed', kind: 'deploy_regressed', condition: {}, scope: { service_id: serviceId }, severity: 'critical', channel_ids: [channel.body.data.id] }, as);
    expect(rule.status, JSON.stringify(rule.body)).toBe(201);
    const keys = await api.get(`/api/v1/services/${serviceId}/keys`, as);
    expect((await api.put(`/api/v1/services/${serviceId}/env`, { vars: { SENTRY_DSN: keys.body.data.items[0].dsn } }, as)).status).toBe(200);

    // v1: a first deploy has nothing to be compared with.
    const v1 = await deployAndWait(rig, serviceId);
    expect(v1.status, v1.error_message).toBe('running');
    expect(v1.verification).toBeNull();

    repo.commitAndPush({ 'server.js': THROWING_V2, VERSION: 'v2\n' }, 'v2: new checkout');
    const v2 = await deployAndWait(rig, serviceId);
    expect(v2.status, v2.error_message).toBe('running');
    // Its verification starts as it turns running (written just after the status, in the same report's handling).
    const watched = await waitFor('v2 to be under verification', async () => (await api.get(`/api/v1/deployments/${v2.id}`, as)).body.data.verification);
    expect(watched).toMatchObject({ previous_deployment_id: v1.id, settings: { minutes: 5, auto_rollback: true } });

    // Its errors reach the intake; the check concludes early (the regression is clear well before 5 minutes).
    const failed = await waitFor('v2 to fail its verification', async () => {
      const d = (await api.get(`/api/v1/deployments/${v2.id}`, as)).body.data;
      return d.verification?.status === 'failed' && d.verification.rollback?.status !== 'pending' && d;
    }, 90_000, 250);
    const v = failed.verification;
    expect(Date.parse(v.concluded_at)).toBeLessThan(Date.parse(v.ends_at));
    expect(v.reasons.join('\n')).toMatch(/Error rate rose by/);
    expect(v.measured.current.error_events).toBeGreaterThan(5);
    expect(v.measured.baseline.error_events).toBe(0);
    expect(v.rollback).toMatchObject({ status: 'started', error: null, deployment_id: expect.any(String) });

    // deploy_regressed fired for v2, naming why.
    const events = (await api.get(`/api/v1/alert-events?rule_id=${rule.body.data.id}`, as)).body.data.items;
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ status: 'firing', severity: 'critical', service_id: serviceId, values: { deployment_id: v2.id, previous_deployment_id: v1.id } });
    expect(events[0].summary).toMatch(/Deploy of checkout regressed: Error rate rose/);
    const delivered = await waitFor('the webhook delivery', async () => hook.received.find((r) => r.path === '/alerts'), 30_000);
    expect(delivered.json).toMatchObject({ type: 'alert.firing', rule: { kind: 'deploy_regressed', name: 'Checkout regressed' }, values: { deployment_id: v2.id } });
    expect(delivered.headers['x-syntra-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
    await hook.close();

    // The automatic rollback: a deployment of v1's artifact, live, v2 rolled back; audited as automatic with the reason.
    const back = await finished(rig, v.rollback.deployment_id);
    expect(back).toMatchObject({ status: 'running', trigger_type: 'rollback', triggered_by: null, rollback_from_id: v1.id, verification: null });
    expect((await api.get(`/api/v1/services/${serviceId}`, as)).body.data.current_deployment_id).toBe(back.id);
    expect((await api.get(`/api/v1/deployments/${v2.id}`, as)).body.data.status).toBe('rolled_back');
    const audit = await env.db('audit_log').where({ action: 'deployment.rollback', target_id: back.id }).first();
    expect(audit).toMatchObject({ actor_id: null, metadata: { automatic: true, to: v1.id } });
    expect(audit!.metadata.reason).toMatch(/^Automatic rollback: post-deploy verification failed \(Error rate rose/);

    // The timeline's deploy entry carries the verification.
    const timeline = await api.get(`/api/v1/services/${serviceId}/timeline`, as);
    const entry = timeline.body.data.entries.find((e: { kind: string; ref: { id: string } | null }) => e.kind === 'deploy' && e.ref?.id === v2.id);
    expect(entry.detail.verification).toMatchObject({ status: 'failed', rollback: { deployment_id: back.id } });
  }, 240_000);
});
