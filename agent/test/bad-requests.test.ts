import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { EdgeProxy } from '../src/edge/index.js';
import { Upstream } from '../src/edge/upstream.js';
import { createAgentLogger } from '../src/log.js';
import { CRASH_EXIT_CODE, installProcessGuards } from '../src/process-guards.js';
import { StaticSiteInstance } from '../src/runtime/static-site.js';

/**
 * One bad request must never end the agent: the static-site server and the edge run in its process.
 * A listener that threw here would surface as an unhandled error and fail this file.
 */

function raw(port: number, text: string | Buffer): Promise<{ status: number | null; body: string }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const socket = net.connect(port, '127.0.0.1', () => socket.write(text));
    socket.setTimeout(3000, () => socket.destroy());
    socket.on('data', (c) => chunks.push(c));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      const answer = Buffer.concat(chunks).toString('latin1');
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(answer);
      resolve({ status: m ? Number(m[1]) : null, body: answer.split('\r\n\r\n').slice(1).join('\r\n\r\n') });
    });
  });
}
const get = (port: number, target: string, method = 'GET') => raw(port, `${method} ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as net.AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'syntra-bad-requests-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('static site server', () => {
  let site: StaticSiteInstance;
  let port: number;

  beforeAll(async () => {
    // release/public is the site; release/public-other and release/secret.txt are beside it, not in it.
    const release = path.join(tmp, 'release');
    fs.mkdirSync(path.join(release, 'public/docs'), { recursive: true });
    fs.mkdirSync(path.join(release, 'public-other'));
    fs.writeFileSync(path.join(release, 'public/index.html'), '<h1>home</h1>');
    fs.writeFileSync(path.join(release, 'public/docs/index.html'), '<h1>docs</h1>');
    fs.writeFileSync(path.join(release, 'public/a.txt'), 'file a');
    fs.writeFileSync(path.join(release, 'public/404.html'), '<h1>custom 404</h1>');
    fs.writeFileSync(path.join(release, 'public-other/secret.txt'), 'SIBLING SECRET');
    fs.writeFileSync(path.join(release, 'secret.txt'), 'RELEASE SECRET');
    fs.symlinkSync('/etc/passwd', path.join(release, 'public/passwd'));
    fs.symlinkSync(path.join(release, 'public-other'), path.join(release, 'public/other'));
    port = await freePort();
    site = new StaticSiteInstance({
      serviceId: 's', deploymentId: 'd', workdir: release, image: null, startCommand: 'syntra-static public', port, env: {}, limits: { cpu: null, memory: null }, onLog: () => undefined,
    });
    await site.start();
  });
  afterAll(() => site.stop());

  it('serves files, directory indexes and its own 404 page', async () => {
    expect(await get(port, '/a.txt')).toMatchObject({ status: 200, body: 'file a' });
    expect(await get(port, '/')).toMatchObject({ status: 200, body: '<h1>home</h1>' });
    expect(await get(port, '/docs/')).toMatchObject({ status: 200, body: '<h1>docs</h1>' });
    expect(await get(port, '/missing')).toMatchObject({ status: 404, body: '<h1>custom 404</h1>' });
  });

  it.each(['/%E0%A4%A', '/%', '/%zz', '/a%E0%A4%A.txt'])('broken percent-encoding %s is a 400', async (target) => {
    expect((await get(port, target)).status).toBe(400);
  });

  it.each(['/%00', '/a.txt%00', '/a.txt%00.html', '/docs/%00/index.html'])('NUL in the path %s is a 400', async (target) => {
    expect((await get(port, target)).status).toBe(400);
  });

  it.each([
    '/../secret.txt',
    '/%2e%2e/secret.txt',
    '/..%2fsecret.txt',
    '/..%2f..%2f..%2f..%2fetc%2fpasswd',
    '/docs/../../public-other/secret.txt',
    '/%2e%2e%2fpublic-other%2fsecret.txt',
    '/..\\secret.txt',
    '../public-other/secret.txt',
    '/passwd',
    '/other/secret.txt',
  ])('%s never leaves the site directory', async (target) => {
    const res = await get(port, target);
    expect(res.status === null || res.status >= 400, `${target}: ${res.status}`).toBe(true);
    expect(res.body).not.toMatch(/SECRET|root:/);
  });

  it('answers only GET and HEAD', async () => {
    expect((await get(port, '/a.txt', 'DELETE')).status).toBe(405);
    expect((await get(port, '/a.txt', 'HEAD')).status).toBe(200);
  });

  it('garbage on the socket costs only that connection', async () => {
    await raw(port, Buffer.from([0, 1, 2, 3, 255, 13, 10, 13, 10]));
    await raw(port, 'GET / HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n');
    expect((await get(port, '/a.txt')).status).toBe(200);
  });

  it('refuses to start on a directory outside the release (a start command cannot serve the host)', async () => {
    for (const dir of ['..', '/', '../..', 'public/../..']) {
      const outside = new StaticSiteInstance({
        serviceId: 's', deploymentId: 'd', workdir: path.join(tmp, 'release'), image: null, startCommand: `syntra-static ${dir}`, port: await freePort(), env: {}, limits: { cpu: null, memory: null }, onLog: () => undefined,
      });
      await expect(outside.start(), dir).rejects.toThrow(/inside the release/);
    }
  });
});

describe('edge proxy', () => {
  let edge: EdgeProxy;
  let edgePort: number;
  let upstreamPort: number;
  let upstream: net.Server;

  beforeAll(async () => {
    // A tenant's app answering what Node will not forward: a status out of range, a broken header.
    upstream = net.createServer((socket) => {
      socket.on('error', () => undefined);
      socket.once('data', (d) => {
        const target = d.toString('latin1').split(' ')[1] ?? '/';
        if (target === '/status-99') socket.end('HTTP/1.1 099 Odd\r\nContent-Length: 0\r\n\r\n');
        else if (target === '/bad-header') socket.end('HTTP/1.1 200 OK\r\nX-Bad: a\u0001b\r\nContent-Length: 2\r\n\r\nok');
        else if (target === '/hang-up') socket.destroy();
        else socket.end(`HTTP/1.1 200 OK\r\nContent-Length: ${Buffer.byteLength(target)}\r\nConnection: close\r\n\r\n${target}`);
      });
    });
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
    upstreamPort = (upstream.address() as net.AddressInfo).port;
    edge = new EdgeProxy();
    edgePort = await edge.listenHttp(0, '127.0.0.1');
    await edge.configure('svc', { domains: ['app.example.test'], port: null });
    edge.switch('svc', new Upstream([{ host: '127.0.0.1', port: upstreamPort }], 'v1'));
  });
  afterAll(async () => {
    await edge.close();
    await new Promise((r) => upstream.close(r));
  });

  const via = (target: string) => raw(edgePort, `GET ${target} HTTP/1.1\r\nHost: app.example.test\r\nConnection: close\r\n\r\n`);

  it('proxies a healthy request, malformed percent-encoding included (passed on as is)', async () => {
    expect(await via('/hello')).toMatchObject({ status: 200, body: '/hello' });
    expect(await via('/%E0%A4%A')).toMatchObject({ status: 200, body: '/%E0%A4%A' });
  });

  it.each(['/status-99', '/bad-header', '/hang-up'])('an invalid upstream answer (%s) is a 502 and the edge keeps serving', async (target) => {
    const res = await via(target);
    expect(res.status).toBe(502);
    expect(await via('/after')).toMatchObject({ status: 200, body: '/after' });
  });

  it('unknown hosts, garbage and aborted uploads cost only their own connection', async () => {
    expect((await raw(edgePort, 'GET / HTTP/1.1\r\nHost: nobody.example.test\r\nConnection: close\r\n\r\n')).status).toBe(404);
    await raw(edgePort, Buffer.from([0, 255, 13, 10, 13, 10]));
    // Declares 1000 bytes, sends 5, then resets.
    await new Promise<void>((resolve) => {
      const s = net.connect(edgePort, '127.0.0.1', () => {
        s.write('POST /upload HTTP/1.1\r\nHost: app.example.test\r\nContent-Length: 1000\r\n\r\nhello');
        setTimeout(() => (s.resetAndDestroy(), resolve()), 50);
      });
      s.on('error', () => undefined);
    });
    // A WebSocket upgrade for an unknown host is dropped, not thrown on.
    await raw(edgePort, 'GET / HTTP/1.1\r\nHost: nobody.example.test\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n');
    expect(await via('/still-here')).toMatchObject({ status: 200, body: '/still-here' });
  });
});

describe('process guards (agent)', () => {
  it('logs an unhandled rejection and keeps running; exits 70 on an uncaught exception', () => {
    const listeners: Record<string, (arg: never) => void> = {};
    const proc = { on: (event: string, fn: (arg: never) => void) => void (listeners[event] = fn) };
    const lines: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((l) => (lines.push(String(l)), true));
    const exit = vi.fn();
    try {
      installProcessGuards(createAgentLogger('info'), proc, exit);
      listeners.unhandledRejection!(new Error('telemetry flush failed') as never);
      expect(exit).not.toHaveBeenCalled();
      listeners.uncaughtException!(new Error('thrown from a listener') as never);
      expect(exit).toHaveBeenCalledWith(CRASH_EXIT_CODE);
    } finally {
      spy.mockRestore();
    }
    expect(lines.join('')).toContain('telemetry flush failed');
    expect(lines.join('')).toContain('thrown from a listener');
  });
});

