import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorkers, type RunningWorkers } from '../../src/workers/index.js';
import { registerAccount } from '../support/api-client.js';
import { waitFor } from '../support/agent-env.js';
import { liveDeployment } from '../errors/support/error-fixtures.js';
import { asReceived } from '../errors/support/sentry-capture.js';
import { pushAndFetch, type RepoCast, startRepoCast } from './repo-agent.js';
import { serviceLogLine } from './support.js';

const CART_V1 = 'export function applyDiscount(cart) {\n  const item = cart.items[0];\n  return item.price * 0.9;\n}\n';
const CART_V2 = 'export function applyDiscount(cart) {\n  const item = cart.items.find((i) => i.discounted);\n  return item.price * 0.9;\n}\n';
const DB_PASSWORD = 'hunter2-super-secret-pw';
const TOKEN = 'syn_a_abcdefghijklmnopqrstuvwxyz0123';

const GOOD = {
  root_cause: 'applyDiscount assumes a discounted item exists; find() returns undefined for carts without one.',
  why_now: 'Commit "find the discounted item" changed items[0] to items.find(...) in src/cart.js.',
  suggested_fix: 'Return the full price when no item is discounted: `if (!item) return total;`',
  severity: 'high',
  affected_scope: 'Every checkout of a cart without a discounted item.',
  evidence: [
    { kind: 'diff', label: 'src/cart.js', detail: 'items[0] → items.find((i) => i.discounted)' },
    { kind: 'stack_frame', label: 'src/cart.js:3 in applyDiscount', detail: 'item is undefined here' },
  ],
};

let cast: RepoCast;
let workers: RunningWorkers;
let issueId: string;

const issue = async (token = cast.owner.token) => (await cast.api.get(`/api/v1/issues/${issueId}`, { token })).body.data;
const analyse = (body: Record<string, unknown>, who = cast.owner) => cast.api.post('/api/v1/ai/analyze-error', body, { token: who.token, orgId: who.orgId });

beforeAll(async () => {
  cast = await startRepoCast({ 'src/cart.js': CART_V1 });
  workers = startWorkers(cast.env.deps);
  const sha2 = pushAndFetch(cast, { 'src/cart.js': CART_V2 }, 'find the discounted item');
  await liveDeployment(cast.env, cast.serviceId, cast.initialSha, 3_600_000, 'initial');
  await liveDeployment(cast.env, cast.serviceId, sha2, 60_000, 'find the discounted item');
  await cast.api.put(`/api/v1/services/${cast.serviceId}/env`, { vars: { DATABASE_PASSWORD: DB_PASSWORD } }, { token: cast.owner.token });
  const now = Date.now() / 1000;
  await serviceLogLine(cast.env, cast.serviceId, 'checkout failed for cart 42 (db login with hunter2-super-secret-pw ok)');
  await cast.env.deps.services.errorIngest.process([
    asReceived({
      event_id: crypto.randomUUID().replace(/-/g, ''),
      platform: 'node',
      level: 'error',
      timestamp: now,
      exception: {
        values: [{
          type: 'TypeError',
          value: "Cannot read properties of undefined (reading 'price')",
          mechanism: { type: 'onuncaughtexception', handled: false },
          stacktrace: {
            frames: [
              { filename: '/srv/app/node_modules/express/lib/router/layer.js', function: 'handle', lineno: 95, in_app: false },
              { filename: '/srv/app/src/cart.js', function: 'applyDiscount', lineno: 3, in_app: true, pre_context: ['export function applyDiscount(cart) {', '  const item = cart.items.find((i) => i.discounted);'], context_line: '  return item.price * 0.9;', post_context: ['}'] },
            ],
          },
        }],
      },
      breadcrumbs: { values: [{ timestamp: now - 1, category: 'http', message: `GET /cart authorization: Bearer ${TOKEN}` }, { timestamp: now - 0.5, category: 'db', message: `connected with ${DB_PASSWORD}` }] },
      request: { url: 'https://shop.example.com/cart', method: 'POST', headers: { 'content-type': 'application/json' } },
      tags: { route: '/cart', region: 'eu' },
    }, { orgId: cast.owner.orgId, projectId: cast.projectId, serviceId: cast.serviceId }),
  ]);
  issueId = (await cast.api.get(`/api/v1/projects/${cast.projectId}/issues`, { token: cast.owner.token })).body.data.items[0].id;
}, 90_000);
afterAll(async () => {
  await workers?.close();
  await cast?.close();
});

describe('error analysis: a job, the model through the Messages API stand-in, the repository through the agent', () => {
  it('stores every seed field on the issue, from a request carrying the stack and the deploy diff and no secret', async () => {
    cast.model.requests.length = 0;
    cast.model.reply = () => ({ content: [{ type: 'tool_use', name: 'submit_analysis', input: GOOD }], usage: { input_tokens: 2000, output_tokens: 300 } });
    const res = await analyse({ issue_id: issueId });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    expect(res.body.data.analysis.status).toBe('pending');
    const done = await waitFor('analysis done', async () => ((await issue()).ai_analysis?.status === 'done' ? (await issue()).ai_analysis : null), 30_000);
    expect(done).toMatchObject({ ...GOOD, status: 'done', model: 'claude-sonnet-5-5', trigger: 'manual', error: null });
    expect(Date.parse(done.analyzed_at)).toBeGreaterThan(0);
    expect(done.context.map((s: { title: string }) => s.title)).toEqual(expect.arrayContaining(['Stack trace (latest event)', 'Deploy that introduced the issue']));

    const request = cast.model.requests[0]!;
    expect(request.body.tool_choice).toEqual({ type: 'tool', name: 'submit_analysis' });
    const sent = cast.model.sentText();
    // The stack with the in-app frame's source context…
    expect(sent).toContain('applyDiscount');
    expect(sent).toContain('return item.price * 0.9;');
    // …the deploy with its commits and the diff of the file in the stack, read from the mirror on the agent…
    expect(sent).toContain('find the discounted item');
    expect(sent).toContain('-  const item = cart.items[0];');
    expect(sent).toContain('+  const item = cart.items.find((i) => i.discounted);');
    // …breadcrumbs, tags, request and the log line around the first event…
    expect(sent).toContain('region=eu');
    expect(sent).toContain('POST https://shop.example.com/cart');
    expect(sent).toContain('checkout failed for cart 42');
    // …and no secret: the service's env value and the token are redacted wherever they appeared.
    expect(sent).not.toContain(DB_PASSWORD);
    expect(sent).not.toContain(TOKEN);
    expect(sent).toContain('[redacted:DATABASE_PASSWORD]');
    const usage = await cast.env.db('ai_usage').where({ org_id: cast.owner.orgId, kind: 'analysis' });
    expect(usage.map((u) => [u.input_tokens, u.output_tokens])).toEqual([[2000, 300]]);
  });

  it('asking again returns the stored analysis without a new model call, unless force_refresh', async () => {
    cast.model.requests.length = 0;
    const again = await analyse({ issue_id: issueId });
    expect(again.body.data.analysis.status).toBe('done');
    expect(cast.model.requests).toHaveLength(0);
  });

  it('invalid tool output is retried once, then reported as a failed analysis', async () => {
    cast.model.requests.length = 0;
    cast.model.reply = (_req, n) => ({ content: [{ type: 'tool_use', name: 'submit_analysis', input: n === 0 ? { root_cause: 'x' } : { ...GOOD, severity: 'apocalyptic' } }] });
    expect((await analyse({ issue_id: issueId, force_refresh: true })).status).toBe(202);
    const failed = await waitFor('analysis failed', async () => ((await issue()).ai_analysis?.status === 'failed' ? (await issue()).ai_analysis : null), 30_000);
    expect(cast.model.requests).toHaveLength(2);
    expect(JSON.stringify(cast.model.requests[1]!.body.messages.at(-1))).toContain('is_error');
    expect(failed.error).toMatch(/expected shape/);
    expect(failed.root_cause).toBeNull();

    // Invalid once, then valid: done.
    cast.model.requests.length = 0;
    cast.model.reply = (_req, n) => ({ content: [{ type: 'tool_use', name: 'submit_analysis', input: n === 0 ? { ...GOOD, evidence: [] } : GOOD }] });
    await analyse({ issue_id: issueId, force_refresh: true });
    await waitFor('analysis done again', async () => (await issue()).ai_analysis?.status === 'done', 30_000);
    expect(cast.model.requests).toHaveLength(2);
  });

  it("another organisation's issue cannot be analysed (404)", async () => {
    const other = await registerAccount(cast.api, 'other');
    const res = await analyse({ issue_id: issueId }, other);
    expect(res.status).toBe(404);
  });

  it('automatic analysis (opt-in per organisation) picks up a new issue with enough events', async () => {
    const settings = await cast.api.patch('/api/v1/ai/settings', { auto_analyze: true }, { token: cast.owner.token, orgId: cast.owner.orgId });
    expect(settings.body.data).toMatchObject({ auto_analyze: true, auto_analyze_min_events: 20 });
    await cast.env.deps.services.errorIngest.process(
      Array.from({ length: 3 }, () => asReceived({ event_id: crypto.randomUUID().replace(/-/g, ''), platform: 'node', level: 'error', timestamp: Date.now() / 1000, message: 'Inventory sync timed out' }, { orgId: cast.owner.orgId, projectId: cast.projectId, serviceId: cast.serviceId })),
    );
    cast.model.reply = () => ({ content: [{ type: 'tool_use', name: 'submit_analysis', input: GOOD }] });
    const orgs = await cast.env.deps.services.ai.settings.autoAnalyzeOrgs();
    expect(orgs).toContain(cast.owner.orgId);
    // The workers sweep every minute with the default threshold; here with 3 events, the new issue's count.
    expect(await cast.env.deps.services.ai.analysis.autoSweep(orgs, 3)).toBe(1);
    const items = (await cast.api.get(`/api/v1/projects/${cast.projectId}/issues?q=Inventory`, { token: cast.owner.token })).body.data.items;
    const auto = await waitFor('automatic analysis', async () => {
      const a = (await cast.api.get(`/api/v1/issues/${items[0].id}`, { token: cast.owner.token })).body.data.ai_analysis;
      return a?.status === 'done' ? a : null;
    }, 30_000);
    expect(auto.trigger).toBe('auto');
    // Analysed once: the next sweep leaves it alone.
    expect(await cast.env.deps.services.ai.analysis.autoSweep(orgs, 3)).toBe(0);
  });

  it('the monthly budget is enforced: 429 PLAN_LIMIT, no job', async () => {
    await cast.env.db('ai_org_settings').insert({ org_id: cast.owner.orgId, monthly_token_budget: 100 }).onConflict('org_id').merge();
    cast.model.requests.length = 0;
    const res = await analyse({ issue_id: issueId, force_refresh: true });
    expect(res.status).toBe(429);
    expect(res.body.error.code).toBe('PLAN_LIMIT');
    expect(cast.model.requests).toHaveLength(0);
    await cast.env.db('ai_org_settings').where({ org_id: cast.owner.orgId }).delete();
  });
});
