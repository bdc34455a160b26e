import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, registerAccount, type ApiClient, type Account } from '../support/api-client.js';
import { RecordingProcessor, sentryNode, serviceWithDsn, waitFor } from '../support/intake.js';
import { startTestEnv, type TestEnv } from '../support/test-env.js';

let env: TestEnv;
let api: ApiClient;
let owner: Account;
let target: Awaited<ReturnType<typeof serviceWithDsn>>;
const recorder = new RecordingProcessor();

beforeAll(async () => {
  env = await startTestEnv({}, { services: { errorEventProcessor: recorder } });
  api = apiClient(env.url);
  owner = await registerAccount(api, 'intake');
  target = await serviceWithDsn(env, api, owner);
  env.deps.services.intake.startConsumer({ pollMs: 50 });
});
afterAll(() => env.close());

function checkout() {
  throw new TypeError('cart 1234 is empty');
}
function render() {
  throw new Error('template missing');
}

const envelopeOf = (header: object, items: Array<[object, string | Buffer]>) =>
  Buffer.concat([Buffer.from(`${JSON.stringify(header)}\n`), ...items.flatMap(([h, p]) => [Buffer.from(`${JSON.stringify(h)}\n`), Buffer.from(p), Buffer.from('\n')])]);

async function post(path: string, body: Buffer | string, headers: Record<string, string> = {}) {
  const res = await fetch(`${env.url}${path}`, { method: 'POST', body, headers });
  return { status: res.status, headers: res.headers, body: (await res.json().catch(() => null)) as Record<string, unknown> | null };
}

const envelopePath = () => `/api/${target.projectRef}/envelope/?sentry_key=${target.key.public_key}&sentry_version=7`;
const queued = async () => Number((await env.db('ingest_queue').count({ n: '*' }))[0]!.n);

describe('Sentry intake with the real @sentry/node', () => {
  it('events from two code paths arrive at the processor with the right source, payload, release and environment', async () => {
    const sdk = sentryNode(target.dsn, { release: 'abc123', environment: 'production' });
    sdk.scope.setUser({ id: 'user-1', email: 'a@example.test' });
    const ids: string[] = [];
    for (const fn of [checkout, render, checkout]) {
      try {
        fn();
      } catch (err) {
        ids.push(sdk.scope.captureException(err));
      }
    }
    ids.push(sdk.scope.captureMessage('payment 42 declined', 'warning'));
    expect(await sdk.flush()).toBe(true);

    const got = await waitFor('4 events', () => (ids.every((id) => recorder.events.some((e) => e.eventId === id)) ? recorder.events : null));
    const first = got.find((e) => e.eventId === ids[0])!;
    expect(first).toMatchObject({ serviceId: target.serviceId, orgId: owner.orgId, projectId: target.projectId, keyId: target.key.id, attachments: [] });
    expect(first.clientIp).toBeTruthy();
    expect(first.payload).toMatchObject({ release: 'abc123', environment: 'production', user: { id: 'user-1' } });
    const exception = (first.payload.exception as { values: Array<{ type: string; value: string; stacktrace: { frames: Array<{ function?: string }> } }> }).values[0]!;
    expect(exception).toMatchObject({ type: 'TypeError', value: 'cart 1234 is empty' });
    expect(exception.stacktrace.frames.some((f) => f.function === 'checkout')).toBe(true);
    const second = got.find((e) => e.eventId === ids[1])!;
    expect((second.payload.exception as { values: Array<{ value: string }> }).values[0]!.value).toBe('template missing');
    const message = got.find((e) => e.eventId === ids[3])!;
    expect(message.payload).toMatchObject({ message: 'payment 42 declined', level: 'warning' });
    // Handed on, then taken off the queue.
    await waitFor('an empty queue', async () => (await queued()) === 0);
  });

  it('a large event the SDK gzips arrives whole', async () => {
    const sdk = sentryNode(target.dsn);
    const big = 'x'.repeat(40_000);
    const id = sdk.scope.setExtra('blob', big).captureException(new Error('with a big extra'));
    expect(await sdk.flush()).toBe(true);
    const ev = await waitFor('the gzipped event', () => recorder.events.find((e) => e.eventId === id));
    expect((ev.payload.extra as { blob: string }).blob).toBe(big);
  });
});

describe('envelope framing and encodings', () => {
  const event = (id: string, extra: object = {}) => JSON.stringify({ event_id: id, message: 'hello', platform: 'node', ...extra });

  it('gzip, deflate and br bodies, explicit lengths, auth by header or by the envelope dsn', async () => {
    const ids = ['a'.repeat(32), 'b'.repeat(32), 'c'.repeat(32), 'd'.repeat(32)];
    const withLength = (id: string) => {
      const p = Buffer.from(event(id, { note: 'naïve ✓' }));
      return envelopeOf({ event_id: id }, [[{ type: 'event', length: p.length }, p]]);
    };
    expect((await post(envelopePath(), zlib.gzipSync(withLength(ids[0]!)), { 'content-encoding': 'gzip', 'content-type': 'application/x-sentry-envelope' })).body).toEqual({ id: ids[0] });
    expect((await post(envelopePath(), zlib.deflateSync(withLength(ids[1]!)), { 'content-encoding': 'deflate' })).status).toBe(200);
    const auth = { 'x-sentry-auth': `Sentry sentry_version=7, sentry_key=${target.key.public_key}, sentry_client=test/1`, 'content-encoding': 'br' };
    expect((await post(`/api/${target.projectRef}/envelope/`, zlib.brotliCompressSync(withLength(ids[2]!)), auth)).status).toBe(200);
    const byDsn = envelopeOf({ event_id: ids[3], dsn: target.dsn }, [[{ type: 'event' }, event(ids[3]!)]]);
    expect((await post(`/api/${target.projectRef}/envelope/`, byDsn, { 'content-type': 'text/plain;charset=UTF-8' })).status).toBe(200);
    await waitFor('the four events', () => ids.every((id) => recorder.events.some((e) => e.eventId === id)));
    expect(recorder.events.find((e) => e.eventId === ids[0])!.payload.note).toBe('naïve ✓');
  });

  it('/store/ takes a bare event', async () => {
    const id = 'e'.repeat(32);
    const res = await post(`/api/${target.projectRef}/store/?sentry_key=${target.key.public_key}`, event(id), { 'content-type': 'application/json' });
    expect(res).toMatchObject({ status: 200, body: { id } });
    await waitFor('the stored event', () => recorder.events.some((e) => e.eventId === id));
  });

  it('sessions and client reports are counted, transactions counted (no tracing store yet), unknown items skipped, attachments stored', async () => {
    const id = 'f'.repeat(32);
    const body = envelopeOf({ event_id: id }, [
      [{ type: 'event' }, event(id)],
      [{ type: 'attachment', filename: 'log.txt', content_type: 'text/plain', length: 5 }, 'hello'],
      [{ type: 'session' }, JSON.stringify({ sid: 'x', status: 'ok' })],
      [{ type: 'client_report' }, JSON.stringify({ discarded_events: [] })],
      [{ type: 'transaction' }, JSON.stringify({ event_id: '1'.repeat(32), type: 'transaction', spans: [] })],
      [{ type: 'profile_chunk_of_the_future' }, '{"whatever":1}'],
    ]);
    expect((await post(envelopePath(), body)).body).toEqual({ id });
    const ev = await waitFor('the event with its attachment', () => recorder.events.find((e) => e.eventId === id));
    expect(ev.attachments).toHaveLength(1);
    expect(ev.attachments[0]).toMatchObject({ filename: 'log.txt', contentType: 'text/plain', size: 5 });
    const stored = await env.deps.services.intake.attachment(target.serviceId, ev.attachments[0]!.storageKey);
    expect(stored!.data.toString()).toBe('hello');
    const download = await fetch(`${env.url}/api/v1/services/${target.serviceId}/attachments/${ev.attachments[0]!.storageKey}`, { headers: { authorization: `Bearer ${owner.token}` } });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toBe('attachment; filename="log.txt"');
    expect(download.headers.get('content-type')).toBe('application/octet-stream');
    expect(await download.text()).toBe('hello');
    const stats = await api.get(`/api/v1/services/${target.serviceId}/intake`, { token: owner.token });
    expect(stats.body.data.stats).toMatchObject({ sessions: 1, client_reports: 1, transactions: 1, attachments: 1, other_items: 1 });
    expect(stats.body.data.stats.events).toBeGreaterThanOrEqual(1);
  });
});

describe('bad input: 4xx, nothing stored, never a 5xx', () => {
  const good = (id = '9'.repeat(32)) => envelopeOf({ event_id: id }, [[{ type: 'event' }, JSON.stringify({ event_id: id, message: 'x' })]]);

  it.each([
    ['a missing key', () => post(`/api/${target.projectRef}/envelope/`, good()), 401],
    ['a wrong key', () => post(`/api/${target.projectRef}/envelope/?sentry_key=${'0'.repeat(32)}`, good()), 401],
    ['a malformed key', () => post(`/api/${target.projectRef}/envelope/?sentry_key=nope`, good()), 401],
    ['a foreign project ref', () => post(`/api/${target.projectRef + 1000}/envelope/?sentry_key=${target.key.public_key}`, good()), 403],
    ['an empty body', () => post(envelopePath(), ''), 400],
    ['a truncated envelope (header only, no payload)', () => post(envelopePath(), `{"event_id":"${'9'.repeat(32)}"}\n{"type":"event"}`), 400],
    ['a length past the end', () => post(envelopePath(), `{}\n{"type":"event","length":500}\n{"message":"short"}\n`), 400],
    ['a negative length', () => post(envelopePath(), `{}\n{"type":"event","length":-1}\n{}\n`), 400],
    ['a bad JSON envelope header', () => post(envelopePath(), `{nope\n{"type":"event"}\n{}\n`), 400],
    ['a bad JSON item header', () => post(envelopePath(), `{}\n{"type":\n{}\n`), 400],
    ['a bad JSON event', () => post(envelopePath(), `{}\n{"type":"event"}\n{"message": oops}\n`), 400],
    ['an event that is not an object', () => post(envelopePath(), `{}\n{"type":"event"}\n[1,2,3]\n`), 400],
    ['an item without a type', () => post(envelopePath(), `{}\n{"length":2}\n{}\n`), 400],
    ['a 1.2 MiB event', () => post(envelopePath(), envelopeOf({}, [[{ type: 'event' }, JSON.stringify({ message: 'x'.repeat(1.2 * 1024 * 1024) })]])), 413],
    ['bad gzip', () => post(envelopePath(), Buffer.from('this is not gzip at all'), { 'content-encoding': 'gzip' }), 400],
    ['truncated gzip', () => post(envelopePath(), zlib.gzipSync(good()).subarray(0, 20), { 'content-encoding': 'gzip' }), 400],
    ['a gzip bomb', () => post(envelopePath(), zlib.gzipSync(Buffer.alloc(64 * 1024 * 1024)), { 'content-encoding': 'gzip' }), 413],
    ['an unknown encoding', () => post(envelopePath(), good(), { 'content-encoding': 'zstd-of-the-future' }), 400],
    ['a bad /store/ body', () => post(`/api/${target.projectRef}/store/?sentry_key=${target.key.public_key}`, 'not json'), 400],
    ['a good event beside a bad one (the envelope is refused whole)', () => post(envelopePath(), `{}\n{"type":"event"}\n{"message":"fine"}\n{"type":"event"}\n{"message":\n`), 400],
  ])('%s', async (_name, send, status) => {
    // Earlier tests' events may still be leaving the queue: start from an empty one.
    await waitFor('an empty queue', async () => (await queued()) === 0);
    const before = recorder.events.length;
    const res = await send();
    expect(res.status).toBe(status);
    expect(typeof res.body?.detail).toBe('string');
    expect(res.headers.get('x-sentry-error')).toBeTruthy();
    expect(await queued()).toBe(0);
    expect(recorder.events.length).toBe(before);
  });

  it('a revoked key is 403 and stores nothing', async () => {
    const added = await api.post(`/api/v1/services/${target.serviceId}/keys`, {}, { token: owner.token });
    const path = `/api/${target.projectRef}/envelope/?sentry_key=${added.body.data.public_key}`;
    expect((await post(path, good('8'.repeat(32)))).status).toBe(200);
    // Consumed before the revocation, so the queue is empty again whatever the machine's speed.
    await waitFor('the event sent before revocation', () => recorder.events.some((e) => e.eventId === '8'.repeat(32)) && queued().then((n) => n === 0));
    await api.delete(`/api/v1/services/${target.serviceId}/keys/${added.body.data.id}`, { token: owner.token });
    const res = await post(path, good('7'.repeat(32)));
    expect(res.status).toBe(403);
    expect(res.body?.detail).toMatch(/revoked/);
    expect(await queued()).toBe(0);
    expect(recorder.events.some((e) => e.eventId === '7'.repeat(32))).toBe(false);
  });

  it("another service's key on this ref is 403", async () => {
    const other = await serviceWithDsn(env, api, owner, 'other');
    const res = await post(`/api/${target.projectRef}/envelope/?sentry_key=${other.key.public_key}`, good());
    expect(res.status).toBe(403);
  });

  it('random bytes of many shapes never get a 5xx', async () => {
    const shapes: Buffer[] = [Buffer.from([0xff, 0xfe, 0x00, 0x0a, 0x0a]), Buffer.from('\n\n\n'), Buffer.from('{}\n{"type":"event","length":1e400}\n{}'), Buffer.from('{}\n{"type":"attachment","length":3}\nab'), Buffer.alloc(1000, 0x7b)];
    for (let i = 0; i < 30; i += 1) shapes.push(Buffer.from(Array.from({ length: 200 }, () => Math.floor(Math.random() * 256))));
    for (const body of shapes) {
      for (const enc of [undefined, 'gzip', 'br']) {
        const res = await post(envelopePath(), body, enc ? { 'content-encoding': enc } : {});
        expect(res.status).toBeLessThan(500);
      }
    }
  });
});

describe('redelivery', () => {
  it('a batch whose processor failed is delivered again; a consumer whose connection dies loses nothing', async () => {
    recorder.failNext = 1;
    const a = '5'.repeat(32);
    expect((await post(envelopePath(), envelopeOf({}, [[{ type: 'event' }, JSON.stringify({ event_id: a, message: 'retry me' })]]))).status).toBe(200);
    await waitFor('the retried event, its payload read back from the queue', () => recorder.events.some((e) => e.eventId === a && e.payload.message === 'retry me'));

    // A consumer that dies mid-batch: hold the processor, kill its database connection, let another take over.
    await env.deps.services.intake.stopConsumer();
    let release!: () => void;
    let held = false;
    recorder.gate = () => {
      held = true;
      return new Promise<void>((r) => (release = r));
    };
    const b = '6'.repeat(32);
    expect((await post(envelopePath(), envelopeOf({}, [[{ type: 'event' }, JSON.stringify({ event_id: b, message: 'crash me' })]]))).status).toBe(200);
    env.deps.services.intake.startConsumer({ pollMs: 50 });
    await waitFor('the held batch', () => held);
    await env.db.raw(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND state = 'idle in transaction' AND pid <> pg_backend_pid()`);
    recorder.gate = null;
    release();
    await waitFor('the redelivered event, its payload read back from the queue', () => recorder.events.some((e) => e.eventId === b && e.payload.message === 'crash me'));
    await waitFor('an empty queue', async () => (await queued()) === 0);
  });

  it('a poison event is retried alone and the others of its batch go through', async () => {
    await env.deps.services.intake.stopConsumer();
    const ids = ['3'.repeat(32), '4'.repeat(32), '2'.repeat(32)];
    for (const id of ids) expect((await post(envelopePath(), envelopeOf({}, [[{ type: 'event' }, JSON.stringify({ event_id: id, message: id === ids[1] ? 'poison' : 'fine' })]]))).status).toBe(200);
    recorder.poison = (e) => e.payload.message === 'poison';
    env.deps.services.intake.startConsumer({ pollMs: 50 });
    await waitFor('the healthy events', () => [ids[0], ids[2]].every((id) => recorder.events.some((e) => e.eventId === id)));
    const row = await waitFor('the poison row counted as failed', async () => {
      const r = await env.db('ingest_queue').where({ event_id: ids[1] }).first();
      return r && r.attempts >= 1 ? r : null;
    });
    expect(row.dead_at).toBeNull();
    recorder.poison = null;
    await env.deps.services.intake.stopConsumer();
    await env.db('ingest_queue').update({ attempts: 0 });
    env.deps.services.intake.startConsumer({ pollMs: 50 });
    await waitFor('the poison event once healed', () => recorder.events.some((e) => e.eventId === ids[1]));
  });
});
