import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StreamEvent } from '@syntra/shared';
import { streamChannel } from '../../src/modules/stream/index.js';
import { LogTail } from '../../src/modules/telemetry/index.js';
import { type Account, apiClient, registerAccount } from '../support/api-client.js';
import { startTestEnv, type TestEnv } from '../support/test-env.js';
import { logRow, telemetryService } from '../support/telemetry-seed.js';

let env: TestEnv;
let owner: Account;

beforeAll(async () => {
  env = await startTestEnv();
  owner = await registerAccount(apiClient(env.url), 'tail-owner');
});
afterAll(() => env?.close());

describe('live tail', () => {
  it('sends at most the cap per service per flush (the newest lines) and counts the rest as skipped', async () => {
    const sent: StreamEvent[] = [];
    const tail = new LogTail(async (events) => void sent.push(...events), { maxLinesPerFlush: 3, flushMs: 60_000 });
    const t = { orgId: owner.orgId, projectId: owner.orgId, serviceId: '11111111-1111-4111-8111-111111111111' };
    tail.notify([1, 2, 3, 4, 5].map((i) => logRow(t, Date.now() + i, `line ${i}`)));
    tail.notify([logRow({ ...t, serviceId: '22222222-2222-4222-8222-222222222222' }, Date.now(), 'other service')]);
    await tail.flush();
    expect(sent).toHaveLength(2);
    const first = sent.find((e) => (e.data as { service_id: string }).service_id === t.serviceId)!;
    expect(first).toMatchObject({ type: 'logs.tail', org_id: owner.orgId, data: { skipped: 2 } });
    expect((first.data as { lines: Array<{ body: string }> }).lines.map((l) => l.body)).toEqual(['line 3', 'line 4', 'line 5']);
    await tail.flush();
    expect(sent).toHaveLength(2);
    // a huge line is cut in the event (a search still returns it whole)
    tail.notify([logRow(t, Date.now(), 'x'.repeat(100_000))]);
    await tail.flush();
    expect((sent[2]!.data as { lines: Array<{ body: string }> }).lines[0]!.body.length).toBeLessThan(9_000);
  });

  it('a line written through the store reaches the org stream channel after it is stored', async () => {
    const svc = await telemetryService(env, apiClient(env.url), owner);
    const sub = env.redis.duplicate();
    const got = new Promise<StreamEvent[]>((resolve) => sub.on('message', (_c, msg: string) => resolve(JSON.parse(msg) as StreamEvent[])));
    await sub.subscribe(streamChannel(owner.orgId));
    await env.deps.services.telemetryWriter.write('otel_logs', [logRow(svc, Date.now(), 'tailed line', { SeverityText: 'WARN', SeverityNumber: 13 })]);
    const events = await got;
    await sub.quit();
    const event = events.find((e) => e.type === 'logs.tail')!;
    expect(event.data).toMatchObject({ service_id: svc.serviceId, skipped: 0, lines: [expect.objectContaining({ body: 'tailed line', severity: 'warn', service_id: svc.serviceId })] });
    // the tailed line is one a search finds, and its id opens its context
    const line = (event.data as { lines: Array<{ id: string }> }).lines[0]!;
    const ctx = await apiClient(env.url).get(`/api/v1/logs/context?id=${line.id}`, { token: owner.token, orgId: owner.orgId });
    expect(ctx.status, JSON.stringify(ctx.body)).toBe(200);
    expect(ctx.body.data.line.body).toBe('tailed line');
  });
});
