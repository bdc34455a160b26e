import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import Koa from 'koa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staticConsole } from '../../src/http/static-console.js';

// The web console middleware behind a stand-in for the API: what a browser and the probes would get.
function serve(dir: string) {
  const app = new Koa();
  app.use(async (ctx, next) => {
    if (ctx.path === '/api/v1/known') ctx.body = { success: true, data: 1 };
    else if (ctx.path === '/healthz') ctx.body = { status: 'ok' };
    else await next();
  });
  app.use(staticConsole(dir));
  const server = http.createServer(app.callback());
  return new Promise<{ url: string; close: () => void }>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() })),
  );
}

describe('web console serving', () => {
  const built = fs.mkdtempSync(path.join(os.tmpdir(), 'console-'));
  const missing = path.join(built, 'nope');
  let app: { url: string; close: () => void };
  let bare: { url: string; close: () => void };
  const bigJs = `console.log(${JSON.stringify('x'.repeat(5000))});`;

  beforeAll(async () => {
    fs.mkdirSync(path.join(built, 'assets'));
    fs.writeFileSync(path.join(built, 'index.html'), '<!doctype html><div id="root"></div>');
    fs.writeFileSync(path.join(built, 'assets', 'index-abc123.js'), bigJs);
    app = await serve(built);
    bare = await serve(missing);
  });
  afterAll(() => {
    app.close();
    bare.close();
  });

  it('serves hashed assets as immutable for a year, gzipped when asked', async () => {
    const res = await fetch(`${app.url}/assets/index-abc123.js`, { headers: { 'accept-encoding': 'gzip' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(res.headers.get('content-type')).toContain('text/javascript');
    expect(res.headers.get('content-encoding')).toBe('gzip');
    expect(await res.text()).toBe(bigJs);
  });

  it('answers browser routes with index.html that is never cached', async () => {
    for (const p of ['/', '/servers/123', '/team', '/invite/abc']) {
      const res = await fetch(`${app.url}${p}`);
      expect(res.status, p).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(await res.text()).toContain('<div id="root">');
    }
  });

  it('never shadows the API, agents, probes or missing assets', async () => {
    expect((await fetch(`${app.url}/api/v1/known`)).status).toBe(200);
    for (const p of ['/api/v1/unknown', '/api', '/agent/ws', '/readyz', '/metrics', '/install.sh', '/assets/gone-123.js', '/favicon.ico']) {
      const res = await fetch(`${app.url}${p}`);
      expect(res.status, p).toBe(404);
      expect(await res.text(), p).not.toContain('<div id="root">');
    }
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
  });

  it('does not serve files outside the build directory', async () => {
    const res = await fetch(`${app.url}/assets/..%2f..%2fetc%2fpasswd`);
    expect(res.status).toBe(404);
  });

  it('serves only GET and HEAD', async () => {
    expect((await fetch(`${app.url}/team`, { method: 'POST' })).status).toBe(404);
    expect((await fetch(`${app.url}/team`, { method: 'HEAD' })).status).toBe(200);
  });

  it('explains how to build the console when it is missing', async () => {
    const res = await fetch(`${bare.url}/`);
    expect(res.status).toBe(503);
    expect(await res.text()).toContain('npm run build:web');
    expect((await fetch(`${bare.url}/api/v1/known`)).status).toBe(200);
  });
});
