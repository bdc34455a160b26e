import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { streamChannel } from '../../src/modules/stream/index.js';
import { type Account, type ApiClient, addMember, apiClient, registerAccount } from '../support/api-client.js';
import { startTestEnv, testRedisUrl, type TestEnv } from '../support/test-env.js';
import { liveDeployment, messageEvent, serviceOf } from './support/error-fixtures.js';
import { chargeCard, loadUser, report, warnBackedUp } from './support/sample-app.js';
import { asReceived, captureEvents } from './support/sentry-capture.js';
import { StoreBusyError } from '../../src/modules/telemetry/index.js';

let env: TestEnv;
let api: ApiClient;
let owner: Account;

beforeAll(async () => {
  env = await startTestEnv();
  api = apiClient(env.url);
  owner = await registerAccount(api, 'err-owner');
});
afterAll(() => env.close());


type Source = Awaited<ReturnType<typeof serviceOf>>;
const ingest = (events: Array<Record<string, unknown>>, src: Source) => env.deps.services.errorIngest.process(events.map((e) => asReceived(e, src)));
const issuesOf = async (src: Source, query = '') => (await api.get(`/api/v1/projects/${src.projectId}/issues${query}`, { token: owner.token })).body.data;
const patch = (issueId: string, body: unknown, acc = owner) => api.patch(`/api/v1/issues/${issueId}`, body, { token: acc.token });

describe('real @sentry/node events become issues', () => {
  let src: Source;
  beforeAll(async () => {
    src = await serviceOf(env, api, owner);
    const events = await captureEvents(async (s) => {
      for (const amount of [10, 20, 30]) await report(s, chargeCard, [amount]);
      for (const id of [1, 2]) await report(s, loadUser, [id]);
    }, { release: 'shop@1.0.0', environment: 'production' });
    expect(events).toHaveLength(5);
    await ingest(events, src);
  });

  it('two code paths → two issues with their counts, titles and culprits', async () => {
    const page = await issuesOf(src, '?sort=events');
    expect(page.items).toHaveLength(2);
    const [card, user] = page.items;
    expect(card).toMatchObject({ event_count: 3, exception_type: 'TypeError', level: 'error', status: 'unresolved', service_id: src.serviceId, project_id: src.projectId });
    expect(card.title).toBe('TypeError: card declined for amount 30');
    expect(card.culprit).toMatch(/^chargeCard \(.*sample-app\.ts\)$/);
    expect(user).toMatchObject({ event_count: 2, exception_type: 'Error', title: 'Error: User 2 not found' });
    expect(user.culprit).toMatch(/^loadUser \(/);
    expect(card.first_release).toBe('shop@1.0.0');
    expect(card.last_release).toBe('shop@1.0.0');
    expect(card.environments).toEqual(['production']);
    expect(card.stats_24h).toHaveLength(24);
    expect(card.stats_24h.at(-1)).toBe(3);
    expect(card.stats_14d.at(-1)).toBe(3);
  });

  it('the event detail carries the exception chain with in-app frames and their context lines', async () => {
    const [card] = (await issuesOf(src, '?sort=events')).items;
    const detail = (await api.get(`/api/v1/issues/${card.id}`, { token: owner.token })).body.data;
    expect(detail.latest_event_id).toMatch(/^[0-9a-f]{32}$/);
    const res = await api.get(`/api/v1/issues/${card.id}/events/latest`, { token: owner.token });
    expect(res.status).toBe(200);
    const e = res.body.data;
    expect(e.event_id).toBe(detail.latest_event_id);
    expect(e).toMatchObject({ release: 'shop@1.0.0', environment: 'production', level: 'error', platform: 'node', grouping: 'stacktrace' });
    const thrown = e.exceptions.at(-1);
    expect(thrown).toMatchObject({ type: 'TypeError', value: 'card declined for amount 30', mechanism: { handled: true } });
    const top = thrown.frames.at(-1);
    expect(top).toMatchObject({ function: 'chargeCard', in_app: true });
    expect(top.context_line).toContain('throw new TypeError(`card declined');
    expect(top.pre_context.length).toBeGreaterThan(0);
    expect(thrown.frames.some((f: { in_app: boolean }) => !f.in_app)).toBe(true);
    expect(e.contexts).toHaveProperty('runtime');
    expect(e.sdk.name).toBe('sentry.javascript.node');
    // The error → trace link: the SDK's trace context (the trace page is GET /api/v1/traces/:traceId).
    expect(e.trace_id).toMatch(/^[0-9a-f]{32}$/);
    expect(e.trace_id).toBe((e.contexts.trace as { trace_id: string }).trace_id);
  });

  it('events list newest first with cursor pages, older/newer navigation and oldest/latest', async () => {
    const [card] = (await issuesOf(src, '?sort=events')).items;
    const first = (await api.get(`/api/v1/issues/${card.id}/events?limit=2`, { token: owner.token })).body.data;
    expect(first.items).toHaveLength(2);
    expect(first.items[0].message).toBe('TypeError: card declined for amount 30');
    const second = (await api.get(`/api/v1/issues/${card.id}/events?limit=2&cursor=${first.next_cursor}`, { token: owner.token })).body.data;
    expect(second.items).toHaveLength(1);
    expect(second.next_cursor).toBeNull();
    const oldest = (await api.get(`/api/v1/issues/${card.id}/events/oldest`, { token: owner.token })).body.data;
    expect(oldest.event_id).toBe(second.items[0].event_id);
    expect(oldest.older_event_id).toBeNull();
    expect(oldest.newer_event_id).toBe(first.items[1].event_id);
    const byId = await api.get(`/api/v1/issues/${card.id}/events/${first.items[1].event_id}`, { token: owner.token });
    expect(byId.body.data.exceptions.at(-1).value).toBe('card declined for amount 20');
    expect((await api.get(`/api/v1/issues/${card.id}/events/${'f'.repeat(32)}`, { token: owner.token })).status).toBe(404);
    expect((await api.get(`/api/v1/issues/${card.id}/events/not-an-id`, { token: owner.token })).status).toBe(400);
  });

  it('filters, text search, sorts and cursor pages over the org-wide list', async () => {
    const all = (await api.get(`/api/v1/issues?project_id=${src.projectId}&limit=1&sort=events`, { token: owner.token, orgId: owner.orgId })).body.data;
    expect(all.items.map((i: { event_count: number }) => i.event_count)).toEqual([3]);
    const next = (await api.get(`/api/v1/issues?project_id=${src.projectId}&limit=1&sort=events&cursor=${all.next_cursor}`, { token: owner.token, orgId: owner.orgId })).body.data;
    expect(next.items.map((i: { event_count: number }) => i.event_count)).toEqual([2]);
    expect(next.next_cursor).toBeNull();
    expect((await issuesOf(src, '?q=declined')).items.map((i: { exception_type: string }) => i.exception_type)).toEqual(['TypeError']);
    expect((await issuesOf(src, '?q=loadUser')).items).toHaveLength(1);
    expect((await issuesOf(src, '?environment=staging')).items).toHaveLength(0);
    expect((await issuesOf(src, '?release=shop%401.0.0')).items).toHaveLength(2);
    expect((await issuesOf(src, '?status=resolved,ignored')).items).toHaveLength(0);
    expect((await issuesOf(src, '?level=error&status=unresolved')).items).toHaveLength(2);
    const bad = await api.get(`/api/v1/projects/${src.projectId}/issues?status=open`, { token: owner.token });
    expect(bad.status).toBe(400);
    expect((await api.get(`/api/v1/projects/${src.projectId}/issues?cursor=zzz`, { token: owner.token })).status).toBe(400);
  });

  it('a redelivered batch is counted once', async () => {
    const [card] = (await issuesOf(src, '?sort=events')).items;
    // The same payloads again (the SDK's event ids), e.g. after a worker crash before its ack.
    const events = await captureEvents((s) => report(s, chargeCard, [1]));
    await ingest(events, src);
    await ingest(events, src);
    await env.deps.services.errorIngest.process([...events, ...events].map((e) => asReceived(e, src)));
    const after = (await api.get(`/api/v1/issues/${card.id}`, { token: owner.token })).body.data;
    expect(after.event_count).toBe(4);
    // Each event once in the list, though ClickHouse was handed it three times.
    const listed = (await api.get(`/api/v1/issues/${card.id}/events?limit=100`, { token: owner.token })).body.data.items;
    expect(listed).toHaveLength(4);
    expect(new Set(listed.map((e: { event_id: string }) => e.event_id)).size).toBe(4);
  });

  it('a batch whose event write failed is complete, and counted once, when handed over again', async () => {
    const src = await serviceOf(env, api, owner);
    const events = await captureEvents(async (s) => {
      for (const amount of [1, 2, 3]) await report(s, chargeCard, [amount]);
    });
    expect(events).toHaveLength(3);
    const store = env.clickhouse;
    // ClickHouse refuses the events (table renamed away) after PostgreSQL has counted them.
    await store.client.command({ query: 'RENAME TABLE error_events TO error_events_away' });
    await expect(env.deps.services.errorIngest.process(events.map((e) => asReceived(e, src)))).rejects.toThrow();
    await store.client.command({ query: 'RENAME TABLE error_events_away TO error_events' });
    // The intake hands it over again; the writer refuses (503) for its back-off after a failed insert.
    for (let tries = 0; ; tries++) {
      try {
        await env.deps.services.errorIngest.process(events.map((e) => asReceived(e, src)));
        break;
      } catch (err) {
        if (!(err instanceof StoreBusyError) || tries > 100) throw err;
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    const [issue] = (await issuesOf(src, '')).items;
    expect(issue.event_count).toBe(3);
    expect((await api.get(`/api/v1/issues/${issue.id}/events`, { token: owner.token })).body.data.items).toHaveLength(3);
  });
});

describe('grouping choices a user sees', () => {
  it('a custom fingerprint merges two different errors; messages differing in numbers group', async () => {
    const src = await serviceOf(env, api, owner);
    const events = await captureEvents(async (s) => {
      await report(s, chargeCard, [5], (scope) => scope.setFingerprint(['checkout-flaky']));
      await report(s, loadUser, [5], (scope) => scope.setFingerprint(['checkout-flaky']));
      await warnBackedUp(s, 17);
      await warnBackedUp(s, 9000);
    });
    await ingest(events, src);
    // Messages without a stack trace (another SDK, or attachStacktrace off) group by their parameterised text.
    await ingest([messageEvent('Disk /dev/sda1 at 91% on 10.0.0.4'), messageEvent('Disk /dev/sda1 at 97% on 10.0.0.5')], src);
    const items = (await issuesOf(src, '?sort=events')).items;
    expect(items).toHaveLength(3);
    expect(items.map((i: { event_count: number }) => i.event_count)).toEqual([2, 2, 2]);
    const queue = items.find((i: { level: string }) => i.level === 'warning');
    expect(queue).toMatchObject({ title: 'Queue 9000 is backed up', exception_type: null });
    expect(queue.culprit).toMatch(/sample-app\.ts/);
    const disk = items.find((i: { title: string }) => i.title.startsWith('Disk'));
    expect((await api.get(`/api/v1/issues/${disk.id}/events/latest`, { token: owner.token })).body.data.grouping).toBe('message');
    const merged = items.find((i: { exception_type: string | null }) => i.exception_type !== null);
    const latest = (await api.get(`/api/v1/issues/${merged.id}/events/latest`, { token: owner.token })).body.data;
    expect(latest).toMatchObject({ fingerprint: ['checkout-flaky'], grouping: 'fingerprint' });
  });

  it('counts distinct users (id, else email, else IP) without storing who they are', async () => {
    const src = await serviceOf(env, api, owner);
    const events = await captureEvents(async (s) => {
      for (const user of [{ id: 'u1' }, { id: 'u1' }, { id: 'u2' }, { email: 'Carol@example.com' }, { email: 'carol@example.com' }, { ip_address: '198.51.100.7' }]) {
        await report(s, loadUser, [1], (scope) => scope.setUser(user));
      }
      await report(s, loadUser, [2]); // no user: not counted
    });
    await ingest(events, src);
    const [issue] = (await issuesOf(src)).items;
    expect(issue.event_count).toBe(7);
    expect(issue.user_count).toBe(4);
    const hashes = await env.db('error_group_users').where({ error_group_id: issue.id });
    expect(JSON.stringify(hashes)).not.toContain('u1');
    // A later batch with a known user does not count them again.
    await ingest(await captureEvents((s) => report(s, loadUser, [3], (scope) => scope.setUser({ id: 'u2' }))), src);
    expect((await issuesOf(src)).items[0].user_count).toBe(4);
  });
});

describe('concurrent workers', () => {
  it('batches of the same issues processed at once count every event and every user once', async () => {
    const src = await serviceOf(env, api, owner);
    const batches = Array.from({ length: 4 }, (_, b) => Array.from({ length: 25 }, (_, i) => messageEvent(`Job ${b * 100 + i} failed`, { user: { id: `u${i % 5}` } })));
    await Promise.all(batches.map((batch) => ingest(batch, src)));
    const items = (await issuesOf(src)).items;
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ event_count: 100, user_count: 5 });
    expect(items[0].stats_24h.reduce((a: number, b: number) => a + b, 0)).toBe(100);
  });
});

describe('hostile or odd payloads', () => {
  it('oversized and mistyped fields are cut or dropped; the batch and its neighbours are stored', async () => {
    const src = await serviceOf(env, api, owner);
    const long = 'x'.repeat(5000);
    await ingest([
      messageEvent('neighbour before'),
      {
        event_id: crypto.randomUUID().replace(/-/g, ''), platform: long, level: 42, release: long, environment: long, timestamp: 'yesterday',
        exception: { values: [{ type: long, value: `v\u0000${long}`, stacktrace: { frames: [{ function: long, filename: long, in_app: true, lineno: 1e12 }, 'junk', null] } }, 7] },
        breadcrumbs: [{ message: 5, timestamp: 1e20 }, 'x'], tags: { [long]: long, ok: 1 }, user: { id: { nested: true }, email: long }, fingerprint: [long, 3, null],
        request: { headers: [['Cookie', 'a=b']], query_string: { a: 1 } }, contexts: [], extra: 'no',
      },
      messageEvent('neighbour after'),
    ], src);
    const items = (await issuesOf(src)).items;
    expect(items).toHaveLength(3);
    const odd = items.find((i: { title: string }) => !i.title.startsWith('neighbour'));
    expect(odd.exception_type.length).toBeLessThanOrEqual(255);
    expect(odd.level).toBe('error');
    const e = (await api.get(`/api/v1/issues/${odd.id}/events/latest`, { token: owner.token })).body.data;
    expect(e.release.length).toBeLessThanOrEqual(200);
    expect(e.environment.length).toBeLessThanOrEqual(64);
    expect(e.request.headers).toEqual({ Cookie: '[Filtered]' });
    expect(e.exceptions).toHaveLength(1);
    expect(e.exceptions[0].value).not.toContain('\u0000');
  });
});

describe('resolve, regress, ignore', () => {
  const oneError = (release?: string) => captureEvents((s) => report(s, chargeCard, [1]), { release });

  it('an event after resolve regresses the issue and announces it on the stream', async () => {
    const src = await serviceOf(env, api, owner);
    const sub = new Redis(testRedisUrl());
    const messages: Array<{ type: string; data: Record<string, unknown> }> = [];
    await sub.subscribe(streamChannel(owner.orgId));
    sub.on('message', (_c, m: string) => messages.push(...(JSON.parse(m) as typeof messages)));
    try {
      await ingest(await oneError(), src);
      const [issue] = (await issuesOf(src)).items;
      const resolved = await patch(issue.id, { status: 'resolved' });
      expect(resolved.status).toBe(200);
      expect(resolved.body.data).toMatchObject({ status: 'resolved', resolve_in_next_release: false });
      expect(resolved.body.data.resolved_at).not.toBeNull();
      await ingest(await oneError(), src);
      const after = (await api.get(`/api/v1/issues/${issue.id}`, { token: owner.token })).body.data;
      expect(after).toMatchObject({ status: 'regressed', event_count: 2, resolved_at: null });
      await new Promise((r) => setTimeout(r, 200));
      const types = messages.filter((m) => m.data.issue_id === issue.id).map((m) => m.type);
      expect(types).toEqual(expect.arrayContaining(['issue.created', 'issue.updated', 'issue.regressed']));
      expect(messages.find((m) => m.type === 'issue.created' && m.data.issue_id === issue.id)!.data).toMatchObject({
        service_id: src.serviceId, project_id: src.projectId, title: 'TypeError: card declined for amount 1', level: 'error', environment: 'production',
      });
    } finally {
      await sub.quit();
    }
  });

  it('resolved in the next release: events of the current release do not regress, a new release does', async () => {
    const src = await serviceOf(env, api, owner);
    await ingest(await oneError('r0'), src);
    await ingest(await oneError('r1'), src);
    const [issue] = (await issuesOf(src)).items;
    const res = await patch(issue.id, { status: 'resolved', resolve_in_next_release: true });
    expect(res.body.data).toMatchObject({ status: 'resolved', resolve_in_next_release: true });
    // The release current at resolve time, and an older one still running somewhere: not newer.
    await ingest(await oneError('r1'), src);
    await ingest(await oneError('r0'), src);
    expect((await api.get(`/api/v1/issues/${issue.id}`, { token: owner.token })).body.data).toMatchObject({ status: 'resolved', event_count: 4 });
    await ingest(await oneError('r2'), src);
    expect((await api.get(`/api/v1/issues/${issue.id}`, { token: owner.token })).body.data).toMatchObject({ status: 'regressed', event_count: 5, last_release: 'r2' });
  });

  it('ignored stays ignored; "until N more events" comes back when they arrive', async () => {
    const src = await serviceOf(env, api, owner);
    await ingest(await oneError(), src);
    const [issue] = (await issuesOf(src)).items;
    await patch(issue.id, { status: 'ignored' });
    await ingest(await oneError(), src);
    expect((await api.get(`/api/v1/issues/${issue.id}`, { token: owner.token })).body.data).toMatchObject({ status: 'ignored', event_count: 2 });
    const until = await patch(issue.id, { status: 'ignored', ignore_until_events: 2 });
    expect(until.body.data).toMatchObject({ status: 'ignored', ignored_until_count: 4 });
    await ingest(await oneError(), src);
    expect((await api.get(`/api/v1/issues/${issue.id}`, { token: owner.token })).body.data.status).toBe('ignored');
    await ingest(await oneError(), src);
    expect((await api.get(`/api/v1/issues/${issue.id}`, { token: owner.token })).body.data).toMatchObject({ status: 'unresolved', ignored_until_count: null });
    const bad = await patch(issue.id, { status: 'resolved', ignore_until_events: 3 });
    expect(bad.status).toBe(400);
  });

  it('assigns to a member only; bulk status changes all or none', async () => {
    const src = await serviceOf(env, api, owner);
    await ingest(await captureEvents(async (s) => { await report(s, chargeCard, [1]); await report(s, loadUser, [1]); }), src);
    const items = (await issuesOf(src)).items;
    const assigned = await patch(items[0].id, { assigned_to: owner.userId });
    expect(assigned.body.data.assigned_to).toBe(owner.userId);
    const stranger = await registerAccount(api, 'err-assignee');
    expect((await patch(items[0].id, { assigned_to: stranger.userId })).status).toBe(400);
    expect((await patch(items[0].id, {})).status).toBe(400);
    const bulk = await api.patch('/api/v1/issues', { ids: items.map((i: { id: string }) => i.id), status: 'resolved' }, { token: owner.token, orgId: owner.orgId });
    expect(bulk.status).toBe(200);
    expect(bulk.body.data.items.map((i: { status: string }) => i.status)).toEqual(['resolved', 'resolved']);
    const partly = await api.patch('/api/v1/issues', { ids: [items[0].id, crypto.randomUUID()], status: 'ignored' }, { token: owner.token, orgId: owner.orgId });
    expect(partly.status).toBe(404);
    expect((await api.get(`/api/v1/issues/${items[0].id}`, { token: owner.token })).body.data.status).toBe('resolved');
  });
});

describe('linked to deploys', () => {
  it('an event links to the deployment running at its time (by release = commit sha, else by time); the deployment lists the issues it introduced', async () => {
    const src = await serviceOf(env, api, owner);
    const sha1 = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
    const sha2 = 'ffeeddccbbaa99887766554433221100ffeeddcc';
    const older = await liveDeployment(env, src.serviceId, sha1, 3_600_000, 'Add checkout');
    const newer = await liveDeployment(env, src.serviceId, sha2, 60_000, 'Speed up users');
    // Released as the older commit (a server not yet updated): the older deployment.
    await ingest(await captureEvents((s) => report(s, chargeCard, [1]), { release: sha1.slice(0, 12) }), src);
    // No release: whatever was live at the time, the newer one.
    await ingest(await captureEvents((s) => report(s, loadUser, [1])), src);
    const items = (await issuesOf(src, '?sort=first_seen')).items;
    const card = items.find((i: { exception_type: string }) => i.exception_type === 'TypeError');
    const user = items.find((i: { exception_type: string }) => i.exception_type === 'Error');
    expect(card.first_deployment).toMatchObject({ id: older, commit_sha: sha1, commit_message: 'Add checkout', commit_author: null });
    expect(user.first_deployment).toMatchObject({ id: newer, commit_sha: sha2 });
    expect((await api.get(`/api/v1/issues/${card.id}/events/latest`, { token: owner.token })).body.data.deployment_id).toBe(older);
    const introduced = await api.get(`/api/v1/deployments/${newer}/issues`, { token: owner.token });
    expect(introduced.status).toBe(200);
    expect(introduced.body.data.items.map((i: { id: string }) => i.id)).toEqual([user.id]);
  });
});

describe('RBAC and tenancy', () => {
  it('viewers read issues and events but cannot change them', async () => {
    const src = await serviceOf(env, api, owner);
    await ingest([messageEvent('viewer sees this')], src);
    const [issue] = (await issuesOf(src)).items;
    const viewer = await registerAccount(api, 'err-viewer');
    await addMember(api, owner, viewer, 'viewer');
    expect((await api.get(`/api/v1/issues/${issue.id}`, { token: viewer.token })).status).toBe(200);
    expect((await api.get(`/api/v1/issues/${issue.id}/events/latest`, { token: viewer.token })).status).toBe(200);
    expect((await api.get(`/api/v1/projects/${src.projectId}/issues`, { token: viewer.token })).status).toBe(200);
    expect((await patch(issue.id, { status: 'resolved' }, viewer)).status).toBe(403);
    expect((await api.patch('/api/v1/issues', { ids: [issue.id], status: 'resolved' }, { token: viewer.token, orgId: owner.orgId })).status).toBe(403);
    expect((await api.get(`/api/v1/issues/${issue.id}`, { token: owner.token })).body.data.status).toBe('unresolved');
  });

  it("another organisation's issue is 404 everywhere", async () => {
    const src = await serviceOf(env, api, owner);
    await ingest([messageEvent('private to the owner')], src);
    const [issue] = (await issuesOf(src)).items;
    const eventId = (await api.get(`/api/v1/issues/${issue.id}`, { token: owner.token })).body.data.latest_event_id;
    const stranger = await registerAccount(api, 'err-stranger');
    for (const res of [
      await api.get(`/api/v1/issues/${issue.id}`, { token: stranger.token }),
      await api.patch(`/api/v1/issues/${issue.id}`, { status: 'resolved' }, { token: stranger.token }),
      await api.get(`/api/v1/issues/${issue.id}/events`, { token: stranger.token }),
      await api.get(`/api/v1/issues/${issue.id}/events/${eventId}`, { token: stranger.token }),
      await api.get(`/api/v1/issues/${issue.id}/events/latest`, { token: stranger.token }),
      await api.get(`/api/v1/projects/${src.projectId}/issues`, { token: stranger.token }),
      await api.patch('/api/v1/issues', { ids: [issue.id], status: 'resolved' }, { token: stranger.token, orgId: stranger.orgId }),
    ]) expect(res.status).toBe(404);
    const theirs = await api.get('/api/v1/issues', { token: stranger.token, orgId: stranger.orgId });
    expect(theirs.body.data.items).toEqual([]);
    expect((await api.get(`/api/v1/issues/${issue.id}`, { token: owner.token })).body.data.status).toBe('unresolved');
  });
});

describe('retention', () => {
  it("prunes events past the organisation's retention and issues not seen since", async () => {
    const acc = await registerAccount(api, 'err-retention');
    const src = await serviceOf(env, api, acc);
    const old = Date.now() / 1000 - 3 * 86_400;
    await ingest([messageEvent('old one', { timestamp: old }), messageEvent('fresh one')], src);
    await ingest([messageEvent('recurring 1', { timestamp: old }), messageEvent('recurring 2')], src);
    expect((await api.get(`/api/v1/orgs/${acc.orgId}/error-retention`, { token: acc.token })).body.data).toMatchObject({ retention_days: 30, is_default: true });
    expect((await api.put(`/api/v1/orgs/${acc.orgId}/error-retention`, { retention_days: 0 }, { token: acc.token })).status).toBe(400);
    const set = await api.put(`/api/v1/orgs/${acc.orgId}/error-retention`, { retention_days: 2 }, { token: acc.token });
    expect(set.body.data).toMatchObject({ retention_days: 2, is_default: false });
    await env.deps.services.errorRetention.prune();
    const titles = (await api.get(`/api/v1/projects/${src.projectId}/issues`, { token: acc.token })).body.data.items.map((i: { title: string }) => i.title).sort();
    expect(titles).toEqual(['fresh one', 'recurring 2']);
    const recurring = (await api.get(`/api/v1/projects/${src.projectId}/issues?q=recurring`, { token: acc.token })).body.data.items[0];
    expect((await api.get(`/api/v1/issues/${recurring.id}/events`, { token: acc.token })).body.data.items).toHaveLength(1);
    // Other organisations keep the default 30 days.
    expect((await api.get(`/api/v1/orgs/${owner.orgId}/error-retention`, { token: owner.token })).body.data).toMatchObject({ retention_days: 30, is_default: true });
    expect((await api.get(`/api/v1/orgs/${acc.orgId}/error-retention`, { token: acc.token })).body.data.last_pruned_at).not.toBeNull();
  });
});
