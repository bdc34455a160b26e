import { createHmac } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../src/logger.js';
import { CRASH_EXIT_CODE, installProcessGuards } from '../src/process-guards.js';
import { attachRealtime } from '../src/realtime.js';
import { rawHttp, statusOf } from './support/raw-http.js';
import { startTestEnv, type TestEnv } from './support/test-env.js';

/** What reaches the backend outside the route table: WebSocket handshakes and the body parser's own errors. */
let env: TestEnv;
let port: number;
let realtime: { stop(): Promise<void> };

beforeAll(async () => {
  env = await startTestEnv();
  realtime = await attachRealtime(env.server, env.deps);
  port = (env.server.address() as AddressInfo).port;
});
afterAll(async () => {
  await realtime.stop();
  await env.close();
});

async function stillServing() {
  const res = await fetch(`${env.url}/api/v1/auth/providers`);
  expect(res.status).toBe(200);
}

const upgrade = (target: string) =>
  `GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`;

describe('WebSocket handshakes', () => {
  it('a handshake whose target is not a URL (`//`, `//a:b@`) is refused with 400, and the server keeps serving', async () => {
    for (const target of ['//', '//a:b@', '//x:99999/agent/ws']) {
      expect(statusOf(await rawHttp(port, upgrade(target))), target).toBe(400);
    }
    expect(statusOf(await rawHttp(port, upgrade('/nowhere')))).toBe(404);
    await stillServing();
  });

  it('handshakes with broken percent-encoding or NUL on every socket path never get a 5xx or end the process', async () => {
    // The agent hub authenticates in the first frame (101, then a close); the others refuse at once.
    for (const target of ['/agent/ws?token=%E0%A4%A', '/api/v1/stream?x=%00', '/api/v1/stream?token=%E0%A4%A', '/api/v1/terminal/%E0%A4%A', '/api/v1/terminal/%00']) {
      const status = statusOf(await rawHttp(port, upgrade(target)));
      expect(status === null || status < 500, `${target}: ${status}`).toBe(true);
    }
    await stillServing();
  });
});

describe('request targets', () => {
  it('broken percent-encoding, NUL and traversal in any path are a 4xx, never a 5xx', async () => {
    const targets = ['/%00', '/%E0%A4%A', '/assets/%00.js', '/..%2f..%2fetc%2fpasswd', '/api/v1/servers/%E0%A4%A', '/api/v1/servers/%00', '/api/v1/invites/%00%00%00%00%00%00%00%00%00%00', '/api/v1/invites/%E0%A4%A%E0%A4%A%E0%A4%A', '/api/v1/auth/oauth/%E0%A4%A/start', '/api/v1/deployments?status=%00&cursor=%E0%A4%A', '//', '/api/v1/%'];
    for (const target of targets) {
      const answer = await rawHttp(port, `GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
      const status = statusOf(answer);
      // Browser routes fall back to the console's index.html: unbuilt in tests, that page is a 503 on purpose.
      const consoleNotBuilt = status === 503 && answer.includes('The web console is not built yet');
      expect(status !== null && (status < 500 || consoleNotBuilt), `${target}: ${status}`).toBe(true);
    }
    await stillServing();
  });
});

describe('request bodies the parser refuses are a 4xx with the envelope', () => {
  const post = (headers: Record<string, string>, body: string | Buffer) =>
    fetch(`${env.url}/api/v1/auth/login`, { method: 'POST', headers, body });

  it.each([
    ['an unsupported charset', { 'content-type': 'application/json; charset=ebcdic' }, '{}'],
    ['an unknown content encoding', { 'content-type': 'application/json', 'content-encoding': 'nope' }, '{}'],
    ['gzip that is not gzip', { 'content-type': 'application/json', 'content-encoding': 'gzip' }, 'not gzip at all'],
    ['invalid JSON', { 'content-type': 'application/json' }, '{"a":'],
  ])('%s', async (_label, headers, body) => {
    const res = await post(headers, body);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    const json = (await res.json()) as { success: boolean; error: { code: string; message: string } };
    expect(json.success).toBe(false);
    expect(json.error.message.length).toBeGreaterThan(0);
  });

  it('a body nested 100k levels deep (gzipped, so it passes the size limit) is a 400 that says why', async () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const res = await post({ 'content-type': 'application/json', 'content-encoding': 'gzip' }, gzipSync(deep));
    expect(res.status).toBe(400);
    const json = (await res.json()) as { error: { code: string; message: string } };
    expect(json.error.code).toBe('VALIDATION_ERROR');
    expect(json.error.message).toMatch(/nested deeper than 64/);
    await stillServing();
  });
});

describe('behind a trusted proxy', () => {
  it('a forwarded address that is not an IP (or longer than the column) falls back to the peer address instead of failing the insert', async () => {
    const proxied = await startTestEnv({ SYNTRA_TRUST_PROXY: 'true' });
    try {
      for (const forwarded of ['x'.repeat(300), 'not-an-ip', '1.2.3.4, 5.6.7.8']) {
        const res = await fetch(`${proxied.url}/api/v1/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-forwarded-for': forwarded },
          body: JSON.stringify({ email: 'nobody@example.test', password: 'wrong password' }),
        });
        expect(res.status, forwarded).toBe(401);
      }
      const ips = (await proxied.db('audit_log').where({ action: 'auth.login_failed' }).pluck('ip')) as string[];
      expect(ips.sort()).toEqual(['1.2.3.4', '127.0.0.1', '127.0.0.1']);
    } finally {
      await proxied.close();
    }
  });
});

describe('signed GitHub deliveries with fields of the wrong type', () => {
  it('are answered without deploying, never with a 500', async () => {
    const secret = 'webhook-secret';
    const hooked = await startTestEnv({ GITHUB_WEBHOOK_SECRET: secret });
    try {
      const bodies = [
        { ref: 123, after: 'a'.repeat(40), repository: { clone_url: 'https://github.com/acme/app.git' } },
        { ref: 'refs/heads/main', after: { sha: 1 }, repository: 'acme/app' },
        { ref: 'refs/heads/main', after: 'b'.repeat(64), head_commit: { message: 'nul\u0000here' }, repository: { clone_url: 7 } },
        { ref: 'refs/heads/main', after: 'c'.repeat(40), head_commit: 'not an object', repository: { clone_url: 'https://github.com/acme/app.git' } },
        [1, 2, 3],
        'just a string',
      ];
      for (const [i, payload] of bodies.entries()) {
        const body = JSON.stringify(payload);
        const res = await fetch(`${hooked.url}/api/v1/webhooks/github`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-github-event': 'push', 'x-github-delivery': `d-${i}`, 'x-hub-signature-256': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}` },
          body,
        });
        expect(res.status, body).toBeLessThan(500);
        if (res.status === 200) expect(((await res.json()) as { data: { deployments: unknown[] } }).data.deployments).toEqual([]);
      }
    } finally {
      await hooked.close();
    }
  });
});

describe('process guards (syntra)', () => {
  function fakeProcess() {
    const listeners: Record<string, (arg: never) => void> = {};
    return { proc: { on: (event: string, fn: (arg: never) => void) => void (listeners[event] = fn) }, emit: (event: string, arg: unknown) => listeners[event]!(arg as never) };
  }

  it('an unhandled rejection is logged with its stack and syntra keeps serving; an uncaught exception stops gracefully and exits 70', async () => {
    const lines: string[] = [];
    const log = createLogger('info', { write: (l: string) => void lines.push(l) });
    const { proc, emit } = fakeProcess();
    const stop = vi.fn(async () => undefined);
    const exit = vi.fn();
    installProcessGuards(log, stop, proc, exit, 1000);

    emit('unhandledRejection', new Error('a forgotten catch'));
    expect(exit).not.toHaveBeenCalled();
    expect(stop).not.toHaveBeenCalled();
    expect(lines.join('')).toContain('a forgotten catch');

    emit('uncaughtException', new Error('thrown from a listener'));
    await vi.waitFor(() => expect(exit).toHaveBeenCalledWith(CRASH_EXIT_CODE));
    expect(stop).toHaveBeenCalledTimes(1);
    expect(lines.join('')).toContain('thrown from a listener');
  });

  it('a graceful stop that hangs does not keep a crashed process alive', async () => {
    const { proc, emit } = fakeProcess();
    const exit = vi.fn();
    installProcessGuards(createLogger('silent'), () => new Promise(() => undefined), proc, exit, 50);
    emit('uncaughtException', new Error('boom'));
    await vi.waitFor(() => expect(exit).toHaveBeenCalledWith(CRASH_EXIT_CODE));
  });
});
