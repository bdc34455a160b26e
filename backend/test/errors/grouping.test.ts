import { describe, expect, it } from 'vitest';
import { groupEvent, normalizeFunction } from '../../src/modules/errors/fingerprint.js';
import { parameterize } from '../../src/modules/errors/parameterize.js';
import { summarize } from '../../src/modules/errors/summary.js';
import { normalizeEvent } from '../../src/modules/errors/normalize-event.js';

type Frame = Record<string, unknown>;

function received(payload: Record<string, unknown>) {
  return normalizeEvent({ eventId: 'a'.repeat(32), receivedAt: '2026-12-01T10:00:00.000Z', payload, clientIp: '203.0.113.9', attachments: [] });
}

const frame = (over: Frame = {}): Frame => ({
  filename: '/srv/app/src/orders.js', module: 'src.orders', function: 'placeOrder', lineno: 10, colno: 3, in_app: true,
  context_line: '    throw new Error(`Order ${id} failed`);', ...over,
});

function exceptionEvent(value: string, frames: Frame[], over: Record<string, unknown> = {}) {
  return received({ platform: 'node', exception: { values: [{ type: 'Error', value, stacktrace: { frames } }] }, ...over });
}

const hashOf = (payload: ReturnType<typeof received>) => groupEvent(payload).hash;

describe('grouping by stack trace (in-app frames)', () => {
  it('groups the same code path whatever the message, line and column say', () => {
    const a = exceptionEvent('Order 1 failed', [frame({ lineno: 10 })]);
    const b = exceptionEvent('completely different text', [frame({ lineno: 99, colno: 40 })]);
    expect(groupEvent(a).method).toBe('stacktrace');
    expect(hashOf(a)).toBe(hashOf(b));
  });

  it('separates two code paths and two exception types', () => {
    const a = exceptionEvent('x', [frame()]);
    expect(hashOf(a)).not.toBe(hashOf(exceptionEvent('x', [frame({ function: 'cancelOrder' })])));
    expect(hashOf(a)).not.toBe(hashOf(received({ platform: 'node', exception: { values: [{ type: 'TypeError', value: 'x', stacktrace: { frames: [frame()] } }] } })));
  });

  it('ignores system frames: a different library call stack around the same app frame groups together', () => {
    const lib = (fn: string) => frame({ filename: '/srv/app/node_modules/express/lib/router.js', module: 'express.lib:router', function: fn, in_app: false });
    expect(hashOf(exceptionEvent('x', [lib('handle'), frame()]))).toBe(hashOf(exceptionEvent('x', [lib('next'), lib('dispatch'), frame()])));
  });

  it('uses the filename basename when there is no module, so deploy paths do not split issues', () => {
    const a = exceptionEvent('x', [frame({ module: undefined, filename: '/releases/111/src/orders.js' })]);
    const b = exceptionEvent('x', [frame({ module: undefined, filename: '/releases/222/src/orders.js' })]);
    expect(hashOf(a)).toBe(hashOf(b));
  });

  it('normalises function names: receivers, async/new, anonymous markers', () => {
    expect(normalizeFunction('Object.placeOrder')).toBe('placeOrder');
    expect(normalizeFunction('async placeOrder')).toBe('placeOrder');
    expect(normalizeFunction('<anonymous>')).toBeNull();
    expect(normalizeFunction('?')).toBeNull();
    expect(normalizeFunction('Router.handle [as handle_request]')).toBe('Router.handle');
    expect(hashOf(exceptionEvent('x', [frame({ function: 'Object.placeOrder' })]))).toBe(hashOf(exceptionEvent('x', [frame({ function: 'placeOrder' })])));
  });

  it('uses the context line for JavaScript/Python when at most 120 characters, never a minified line', () => {
    const a = exceptionEvent('x', [frame({ context_line: 'a();' })]);
    const b = exceptionEvent('x', [frame({ context_line: 'b();' })]);
    expect(hashOf(a)).not.toBe(hashOf(b));
    const long1 = exceptionEvent('x', [frame({ context_line: `a();${' '.repeat(10)}${'x'.repeat(130)}` })]);
    const long2 = exceptionEvent('x', [frame({ context_line: `b();${'y'.repeat(130)}` })]);
    expect(hashOf(long1)).toBe(hashOf(long2));
    // Other platforms ignore it.
    const java = (line: string) => received({ platform: 'java', exception: { values: [{ type: 'E', value: 'x', stacktrace: { frames: [frame({ context_line: line })] } }] } });
    expect(hashOf(java('a();'))).toBe(hashOf(java('b();')));
  });

  it('chained exceptions: each cause contributes its frames', () => {
    const chain = (causeFn: string) => received({ platform: 'node', exception: { values: [
      { type: 'DbError', value: 'timeout', stacktrace: { frames: [frame({ function: causeFn })] } },
      { type: 'Error', value: 'wrapped', stacktrace: { frames: [frame()] } },
    ] } });
    expect(hashOf(chain('query'))).not.toBe(hashOf(chain('connect')));
    expect(hashOf(chain('query'))).toBe(hashOf(chain('query')));
  });
});

describe('grouping without in-app frames: exception type and parameterised value', () => {
  it('groups values that differ only in their variable parts', () => {
    const sys = [frame({ in_app: false })];
    const a = exceptionEvent("User 'alice' (alice@example.com) from 10.0.0.1 hit https://api.example.com/x?id=1 at 0xdeadbeef id 123e4567-e89b-12d3-a456-426614174000 after 12 tries", sys);
    const b = exceptionEvent("User 'bob' (bob@corp.test) from 192.168.3.44 hit https://other.test/y at 0x1f id 00000000-0000-4000-8000-000000000001 after 3 tries", sys);
    expect(groupEvent(a).method).toBe('exception');
    expect(hashOf(a)).toBe(hashOf(b));
    expect(hashOf(a)).not.toBe(hashOf(exceptionEvent('Something else entirely', sys)));
  });
});

describe('message parameterisation', () => {
  it.each([
    ['Order 1234 failed', 'Order <int> failed'],
    ['took 1.25 seconds', 'took <float> seconds'],
    ['mail to a.b+c@example.co.uk bounced', 'mail to <email> bounced'],
    ['GET https://x.test/a/b?c=1 failed', 'GET <url> failed'],
    ['id 123e4567-e89b-12d3-a456-426614174000', 'id <uuid>'],
    ['from 10.1.2.3:8080 and fe80::1ff:fe23:4567:890a', 'from <ip> and <ip>'],
    ['pointer 0x7ffd12 and sha 3f786850e387550fdab836ed7e6dc881de23001b', 'pointer <hex> and sha <hex>'],
    ['key "abc" not in \'table\'', 'key <quoted> not in <quoted>'],
    ['on 2026-12-01T10:00:00Z', 'on <date>'],
    ['at 12:30:45 sharp', 'at <int>:<int>:<int> sharp'],
    ['user42 stays, v2 stays', 'user42 stays, v2 stays'],
  ])('%s → %s', (input, expected) => {
    expect(parameterize(input)).toBe(expected);
  });

  it('messages differing only in numbers group; a message template groups whatever its params', () => {
    expect(hashOf(received({ message: 'Job 17 failed' }))).toBe(hashOf(received({ message: 'Job 9000 failed' })));
    const t = (id: string) => received({ logentry: { message: 'Payment %s declined', params: [id] } });
    expect(groupEvent(t('abc')).method).toBe('message');
    expect(hashOf(t('abc'))).toBe(hashOf(t('completely-other')));
    expect(t('abc').message).toBe('Payment abc declined');
  });
});

describe('client fingerprints', () => {
  it('a fingerprint replaces the default grouping', () => {
    const a = exceptionEvent('x', [frame()], { fingerprint: ['payments-down'] });
    const b = exceptionEvent('y', [frame({ function: 'other' })], { fingerprint: ['payments-down'] });
    expect(groupEvent(a).method).toBe('fingerprint');
    expect(hashOf(a)).toBe(hashOf(b));
  });

  it('{{ default }} extends the default grouping instead of replacing it', () => {
    const e = (fn: string, tenant: string) => exceptionEvent('x', [frame({ function: fn })], { fingerprint: ['{{ default }}', tenant] });
    expect(hashOf(e('a', 't1'))).toBe(hashOf(e('a', 't1')));
    expect(hashOf(e('a', 't1'))).not.toBe(hashOf(e('a', 't2')));
    expect(hashOf(e('a', 't1'))).not.toBe(hashOf(e('b', 't1')));
    expect(groupEvent(e('a', 't1')).components).toEqual(expect.arrayContaining([expect.stringContaining('placeOrder'.slice(0, 0) + 'a'), 'custom:t1']));
  });
});

describe('titles and culprits', () => {
  it('title is "Type: value" of the thrown exception, culprit the top in-app frame', () => {
    const e = received({ platform: 'node', exception: { values: [
      { type: 'DbError', value: 'timeout' },
      { type: 'TypeError', value: "Cannot read properties of undefined (reading 'id')\nmore", stacktrace: { frames: [frame({ function: 'main', filename: 'src/main.js' }), frame({ function: 'getUser', filename: 'src/users.js' }), frame({ function: 'lib', in_app: false })] } },
    ] } });
    expect(summarize(e)).toMatchObject({ title: "TypeError: Cannot read properties of undefined (reading 'id')", culprit: 'getUser (src/users.js)', exceptionType: 'TypeError' });
  });

  it('message events take the formatted message; levels are normalised', () => {
    const e = received({ message: 'disk almost full', level: 'warn' });
    expect(summarize(e).title).toBe('disk almost full');
    expect(e.level).toBe('warning');
    expect(received({ exception: { values: [{ type: 'E', value: 'v' }] } }).level).toBe('error');
  });
});

describe('normalisation', () => {
  it('filters secret request headers and reads {{auto}} user addresses from the sender', () => {
    const e = received({ request: { url: 'https://x.test', method: 'GET', headers: { Authorization: 'Bearer s3cret', Cookie: 'sid=1', Accept: 'text/html' } }, user: { ip_address: '{{auto}}' } });
    expect(e.request!.headers).toEqual({ Authorization: '[Filtered]', Cookie: '[Filtered]', Accept: 'text/html' });
    expect(e.user).toEqual({ id: null, email: null, username: null, ip_address: '203.0.113.9' });
  });

  it('survives garbage anywhere without throwing', () => {
    const e = received({ exception: 'nope', breadcrumbs: 5, tags: [['a', 1], 'x', { key: 'b', value: true }], timestamp: 'soon', user: [], request: 'r', fingerprint: 'x' });
    expect(e.tags).toEqual({ a: '1', b: 'true' });
    expect(e.timestamp).toBe('2026-12-01T10:00:00.000Z');
    expect(e.exceptions).toEqual([]);
    expect(groupEvent(e).method).toBe('message');
  });
});
