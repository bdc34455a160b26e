import { randomBytes } from 'node:crypto';
import { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startVerificationWorker, VERIFY_QUEUE, type VerifyJobData } from '../../src/modules/verification/index.js';
import { type Account, type ApiClient, apiClient, registerAccount } from '../support/api-client.js';
import { serviceWithDsn } from '../support/intake.js';
import { startTestEnv, type TestEnv } from '../support/test-env.js';
import { waitFor } from './support.js';

/**
 * Verification's checks as the workers run them, on deployments that went live minutes ago (rows
 * written as the pipeline leaves them) and telemetry sent through the real intake HTTP path with
 * the times it happened: the windows are in the past, so each check is the final one.
 */
let env: TestEnv;
let api: ApiClient;
let owner: Account;
let connection: Redis;
let worker: Worker | null = null;

const MIN = 60_000;

beforeAll(async () => {
  // Checks every second (the default is 15 s), so each test's first check comes at once.
  // Stored telemetry is flushed every 20 ms (the intake's consumer waits for each transaction's write).
  env = await startTestEnv({ SYNTRA_VERIFY_CHECK_SECONDS: '1', SYNTRA_TELEMETRY_FLUSH_MS: '20' });
  api = apiClient(env.url);
  owner = await registerAccount(api, 'verify-checks');
  connection = new Redis(env.config.redisUrl!, { maxRetriesPerRequest: null });
  env.deps.services.intake.startConsumer();
});
afterAll(async () => {
  await worker?.close();
  await connection?.quit();
  await env?.close();
});

const hex = (bytes: number) => randomBytes(bytes).toString('hex');

/** A service with a DSN and two deployments: v1 live 30 minutes ago, v2 (current) live 5 minutes ago. */
async function twoVersions(verify: Record<string, unknown>) {
  const target = await serviceWithDsn(env, api, owner, `svc-${hex(3)}`);
  const patched = await api.patch(`/api/v1/services/${target.serviceId}`, { verify }, { token: owner.token });
  expect(patched.status, JSON.stringify(patched.body)).toBe(200);
  const now = Date.now();
  const live = async (minutesAgo: number, sha: string, replaced: string | null) => {
    const at = new Date(now - minutesAgo * MIN);
    const [row] = await env.db('deployments')
      .insert({ service_id: target.serviceId, status: 'running', trigger_type: 'manual', git_commit_sha: sha, created_at: at, started_at: at, status_changed_at: at, finished_at: at, replaced_deployment_id: replaced })
      .returning('*');
    return row!;
  };
  const v1 = await live(30, 'a'.repeat(40), null);
  const v2 = await live(5, 'b'.repeat(40), v1.id);
  await env.db('services').where({ id: target.serviceId }).update({ current_deployment_id: v2.id });
  return { ...target, v1, v2, liveAt: now - 5 * MIN };
}

/** Posts one envelope to the intake as an SDK would. */
async function envelope(target: { projectRef: number; key: { public_key: string } }, items: Array<[Record<string, unknown>, Record<string, unknown>]>) {
  const body = [JSON.stringify({ event_id: hex(16), sent_at: new Date().toISOString() }), ...items.flatMap(([h, p]) => [JSON.stringify(h), JSON.stringify(p)])].join('\n') + '\n';
  const res = await fetch(`${env.url}/api/${target.projectRef}/envelope/?sentry_key=${target.key.public_key}&sentry_version=7`, { method: 'POST', body });
  expect(res.status).toBe(200);
}

const errorAt = (ms: number): [Record<string, unknown>, Record<string, unknown>] => [
  { type: 'event' },
  { event_id: hex(16), timestamp: ms / 1000, platform: 'node', level: 'error', exception: { values: [{ type: 'TypeError', value: 'amount of undefined', stacktrace: { frames: [{ function: 'charge', filename: 'app.js', lineno: 3, in_app: true }] } }] } },
];

const transactionAt = (ms: number, durationMs: number): [Record<string, unknown>, Record<string, unknown>] => [
  { type: 'transaction' },
  { type: 'transaction', event_id: hex(16), transaction: 'GET /checkout', start_timestamp: ms / 1000, timestamp: (ms + durationMs) / 1000, platform: 'node', contexts: { trace: { trace_id: hex(16), span_id: hex(8), op: 'http.server', status: 'ok' } }, spans: [] },
];

const verificationOf = async (id: string) => (await api.get(`/api/v1/deployments/${id}`, { token: owner.token })).body.data.verification;

describe('post-deploy verification checks in workers', () => {
  it('a check whose worker dies mid-check (its lock lapses) is taken over by another worker and concludes once', async () => {
    const t = await twoVersions({ minutes: 1, max_error_rate_increase: 1, on_new_issues: false });
    await envelope(t, Array.from({ length: 8 }, (_, i) => errorAt(t.liveAt + 10_000 + i * 1000)));
    // The events are stored before the check reads them.
    await waitFor('the errors stored', async () => (await env.deps.services.alertData.errors.eventCount(owner.orgId, { serviceId: t.serviceId }, new Date(t.liveAt), new Date())) === 8, 30_000, 200);

    // A worker takes the check and never finishes it: as a killed process, it stops renewing its lock.
    let taken: (() => void) | null = null;
    const tookIt = new Promise<void>((r) => (taken = r));
    const doomedConnection = new Redis(env.config.redisUrl!, { maxRetriesPerRequest: null });
    const doomed = new Worker<VerifyJobData>(VERIFY_QUEUE, (job) => (job.data.deployment_id === t.v2.id ? (taken!(), new Promise<void>(() => undefined)) : Promise.resolve()), {
      connection: doomedConnection,
      lockDuration: 1000,
      // Workers share the queue's stalled-job check (one of them runs it per interval): keep it frequent.
      stalledInterval: 500,
    });
    await env.deps.services.verification.deploymentLive(t.v2);
    expect(await verificationOf(t.v2.id)).toMatchObject({ status: 'pending', previous_deployment_id: t.v1.id, settings: { minutes: 1, max_p95_increase_pct: 50 } });
    await tookIt;
    await doomed.close(true);
    await doomedConnection.quit();
    expect((await verificationOf(t.v2.id)).status).toBe('pending');

    // The real worker's stalled-job check finds it and runs it.
    worker = startVerificationWorker(env.deps.services.verification, connection, env.deps.logger, { lockDurationMs: 1000, stalledIntervalMs: 500 });
    const v = await waitFor('the verification to conclude', async () => {
      const got = await verificationOf(t.v2.id);
      return got.status !== 'pending' && got;
    }, 30_000, 200);
    expect(v).toMatchObject({ status: 'failed', rollback: null, measured: { current: { error_events: 8 }, baseline: { error_events: 0 } } });
    expect(v.reasons).toEqual([expect.stringMatching(/^Error rate rose by 8\/min \(from 0\/min to 8\/min/)]);
    // Told once: a repeated check changes nothing.
    await env.deps.services.verification.check(t.v2.id, 99);
    expect(await verificationOf(t.v2.id)).toEqual(v);
  }, 60_000);

  it('compares p95 latency from spans with the previous version and passes a version that is no slower', async () => {
    const slow = await twoVersions({ minutes: 2, max_p95_increase_pct: 50 });
    const fine = await twoVersions({ minutes: 2, max_p95_increase_pct: 50 });
    for (const t of [slow, fine]) {
      // The previous version: 12 requests of 100 ms twenty minutes ago (10 are enough to judge latency).
      await envelope(t, Array.from({ length: 12 }, (_, i) => transactionAt(t.liveAt - 20 * MIN + i * 1000, 100)));
    }
    await envelope(slow, Array.from({ length: 12 }, (_, i) => transactionAt(slow.liveAt + 20_000 + i * 1000, 300)));
    await envelope(fine, Array.from({ length: 12 }, (_, i) => transactionAt(fine.liveAt + 20_000 + i * 1000, 110)));
    await waitFor('the spans stored', async () => {
      for (const t of [slow, fine]) {
        const s = await env.deps.services.alertData.telemetry.spanStats(owner.orgId, t.serviceId, t.liveAt - 30 * MIN, Date.now());
        if ((s?.requests ?? 0) < 24) return false;
      }
      return true;
    }, 30_000, 200);

    for (const t of [slow, fine]) await env.deps.services.verification.deploymentLive(t.v2);
    worker ??= startVerificationWorker(env.deps.services.verification, connection, env.deps.logger, { lockDurationMs: 1000, stalledIntervalMs: 500 });
    const concluded = (t: typeof slow) => waitFor('a verdict', async () => {
      const got = await verificationOf(t.v2.id);
      return got.status !== 'pending' && got;
    }, 30_000, 200);
    const s = await concluded(slow);
    expect(s.status).toBe('failed');
    expect(s.measured.baseline).toMatchObject({ requests: 12, p95_ms: 100 });
    expect(s.measured.current).toMatchObject({ requests: 12, p95_ms: 300 });
    expect(s.reasons).toEqual(['p95 latency rose by 200% (from 100 ms to 300 ms; at most +50% allowed)']);
    const f = await concluded(fine);
    expect(f).toMatchObject({ status: 'passed', reasons: [], measured: { current: { p95_ms: 110, error_events: 0 } } });
  }, 60_000);

  it('a deployment replaced before its verification concludes is cancelled, not judged', async () => {
    const t = await twoVersions({ minutes: 30 });
    await env.deps.services.verification.deploymentLive(t.v2);
    await env.db('services').where({ id: t.serviceId }).update({ current_deployment_id: t.v1.id });
    worker ??= startVerificationWorker(env.deps.services.verification, connection, env.deps.logger, { lockDurationMs: 1000, stalledIntervalMs: 500 });
    await env.deps.services.verification.check(t.v2.id, 1);
    expect(await verificationOf(t.v2.id)).toMatchObject({ status: 'cancelled', reasons: ['The deployment stopped serving before its verification ended'] });
  });

  it('a verification whose job is gone (Redis flushed) gets its final check from the workers\' sweep', async () => {
    const t = await twoVersions({ minutes: 1 });
    const liveAt = new Date(t.liveAt);
    // Pending as deploymentLive leaves it, but with no job queued.
    await env.deps.services.deployments.setVerification(t.v2.id, [null], {
      status: 'pending',
      previous_deployment_id: t.v1.id,
      started_at: liveAt.toISOString(),
      baseline_from: new Date(t.liveAt - 25 * MIN).toISOString(),
      ends_at: new Date(t.liveAt + MIN).toISOString(),
      concluded_at: null,
      reasons: [],
      settings: { minutes: 1, max_error_rate_increase: 1, max_p95_increase_pct: 50, on_new_issues: true, auto_rollback: false },
      measured: null,
      rollback: null,
    });
    await env.deps.services.verification.sweep();
    expect(await verificationOf(t.v2.id)).toMatchObject({ status: 'passed', reasons: [], measured: { current: { error_events: 0 } } });
  });

  it('a check retried after it started the automatic rollback records that rollback instead of making a second', async () => {
    const t = await twoVersions({ minutes: 1, auto_rollback: true });
    const concludedAt = new Date(Date.now() - 2000);
    await env.deps.services.deployments.setVerification(t.v2.id, [null], {
      status: 'failed',
      previous_deployment_id: t.v1.id,
      started_at: new Date(t.liveAt).toISOString(),
      baseline_from: new Date(t.liveAt - 25 * MIN).toISOString(),
      ends_at: new Date(t.liveAt + MIN).toISOString(),
      concluded_at: concludedAt.toISOString(),
      reasons: ['1 new issue first seen in this version'],
      settings: { minutes: 1, max_error_rate_increase: 1, max_p95_increase_pct: 50, on_new_issues: true, auto_rollback: true },
      measured: null,
      rollback: { status: 'pending', deployment_id: null, error: null },
    });
    // The rollback the dead check had created (queued, not live yet).
    const [made] = await env.db('deployments').insert({ service_id: t.serviceId, status: 'queued', trigger_type: 'rollback', rollback_from_id: t.v1.id, created_at: new Date() }).returning('id');
    await env.deps.services.verification.check(t.v2.id, 3);
    expect((await verificationOf(t.v2.id)).rollback).toEqual({ status: 'started', deployment_id: made!.id, error: null });
    expect(await env.db('deployments').where({ service_id: t.serviceId, trigger_type: 'rollback' }).count({ n: '*' })).toEqual([{ n: 1 }]);
  });

  it('is off unless set; a rollback or a first deploy is not verified', async () => {
    const target = await serviceWithDsn(env, api, owner, `svc-${hex(3)}`);
    expect((await api.get(`/api/v1/services/${target.serviceId}`, { token: owner.token })).body.data.verify).toBeNull();
    const [first] = await env.db('deployments').insert({ service_id: target.serviceId, status: 'running', trigger_type: 'manual', status_changed_at: new Date() }).returning('*');
    await env.deps.services.verification.deploymentLive(first!);
    const t = await twoVersions({ minutes: 5 });
    await env.deps.services.verification.deploymentLive({ ...t.v2, trigger_type: 'rollback' });
    for (const id of [first!.id, t.v2.id]) expect(await verificationOf(id)).toBeNull();
    // Turned off again with null.
    expect((await api.patch(`/api/v1/services/${t.serviceId}`, { verify: null }, { token: owner.token })).body.data.verify).toBeNull();
    for (const bad of [{ minutes: 0 }, { minutes: 5, max_p95_increase_pct: -1 }, { minutes: 5, surprise: true }, 'yes']) {
      const res = await api.patch(`/api/v1/services/${t.serviceId}`, { verify: bad }, { token: owner.token });
      expect(res.status, JSON.stringify(bad)).toBe(400);
      expect(JSON.stringify(res.body.error)).toContain('verify');
    }
  });
});
