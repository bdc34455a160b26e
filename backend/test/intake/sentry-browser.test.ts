import http from 'node:http';
import type { AddressInfo } from 'node:net';
import fs from 'node:fs';
import { build } from 'esbuild';
import type * as SentryBrowser from '@sentry/browser';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, registerAccount, type ApiClient, type Account } from '../support/api-client.js';
import { RecordingProcessor, serviceWithDsn, waitFor } from '../support/intake.js';
import { startTestEnv, type TestEnv } from '../support/test-env.js';

let env: TestEnv;
let api: ApiClient;
let owner: Account;
let browser: Browser;
let page: http.Server;
let pageUrl: string;
const recorder = new RecordingProcessor();

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const chromiumPath = () => ['/usr/lib/chromium/chromium', '/usr/bin/chromium'].find((p) => fs.existsSync(p)) ?? '/usr/lib/chromium/chromium';

beforeAll(async () => {
  env = await startTestEnv({}, { services: { errorEventProcessor: recorder } });
  api = apiClient(env.url);
  owner = await registerAccount(api, 'browser');
  env.deps.services.intake.startConsumer({ pollMs: 50 });
  // The real @sentry/browser, bundled for the page as an app would ship it.
  const bundle = await build({ stdin: { contents: "import * as Sentry from '@sentry/browser'; window.Sentry = Sentry;", resolveDir: process.cwd() }, bundle: true, write: false, format: 'iife', logLevel: 'silent' });
  const sdk = bundle.outputFiles[0]!.text;
  // Another origin than the intake's (localhost vs 127.0.0.1): every post is cross-origin.
  page = http.createServer((req, res) => {
    if (req.url === '/sentry.js') return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(sdk);
    res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><html><head><script src="/sentry.js"></script></head><body>app</body></html>');
  });
  await new Promise<void>((r) => page.listen(0, '127.0.0.1', r));
  pageUrl = `http://localhost:${(page.address() as AddressInfo).port}`;
  browser = await chromium.launch({ executablePath: chromiumPath(), headless: true, args: CHROMIUM_ARGS });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  page?.close();
  await env.close();
});

const sentContentTypes: string[] = [];

async function captureInBrowser(dsn: string, message: string): Promise<string> {
  const tab = await browser.newPage();
  tab.on('request', (req) => {
    if (req.url().includes('/envelope/') && req.method() === 'POST') sentContentTypes.push(req.headers()['content-type'] ?? '');
  });
  try {
    await tab.goto(pageUrl);
    return await tab.evaluate(
      async ({ dsn, message }) => {
        const S = (globalThis as unknown as { Sentry: typeof SentryBrowser }).Sentry;
        S.init({ dsn, defaultIntegrations: false, release: 'web@1' });
        function clickHandler() {
          throw new Error(message);
        }
        let id = '';
        try {
          clickHandler();
        } catch (err) {
          id = S.captureException(err);
        }
        await S.flush(5000);
        return id;
      },
      { dsn, message },
    );
  } finally {
    await tab.close();
  }
}

describe('the real @sentry/browser in Chromium', () => {
  it('posts cross-origin (text/plain, no preflight needed) and the event arrives', async () => {
    const t = await serviceWithDsn(env, api, owner);
    const id = await captureInBrowser(t.dsn, 'clicked a broken button');
    const ev = await waitFor('the browser event', () => recorder.events.find((e) => e.eventId === id));
    expect(ev.serviceId).toBe(t.serviceId);
    expect(ev.payload).toMatchObject({ release: 'web@1', platform: 'javascript' });
    expect((ev.payload.exception as { values: Array<{ value: string }> }).values[0]!.value).toBe('clicked a broken button');
    expect(sentContentTypes[0]).toMatch(/^text\/plain/);
  });

  it('answers preflights for allowed origins, and refuses a browser whose origin the service does not allow', async () => {
    const t = await serviceWithDsn(env, api, owner, 'locked');
    const pre = await fetch(`${env.url}/api/${t.projectRef}/envelope/?sentry_key=${t.key.public_key}`, { method: 'OPTIONS', headers: { origin: pageUrl, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe(pageUrl);
    expect(pre.headers.get('access-control-allow-headers')).toContain('content-type');

    const set = await api.patch(`/api/v1/services/${t.serviceId}/intake`, { allowed_origins: ['https://shop.example.test'] }, { token: owner.token });
    expect(set.status).toBe(200);
    const refusedPre = await fetch(`${env.url}/api/${t.projectRef}/envelope/`, { method: 'OPTIONS', headers: { origin: pageUrl, 'access-control-request-method': 'POST' } });
    expect(refusedPre.status).toBe(403);
    expect(refusedPre.headers.get('access-control-allow-origin')).toBeNull();

    const before = recorder.events.length;
    const id = await captureInBrowser(t.dsn, 'from a foreign site');
    await new Promise((r) => setTimeout(r, 500));
    expect(recorder.events.slice(before).some((e) => e.eventId === id)).toBe(false);
    expect(Number((await env.db('ingest_queue').count({ n: '*' }))[0]!.n)).toBe(0);

    await api.patch(`/api/v1/services/${t.serviceId}/intake`, { allowed_origins: [pageUrl] }, { token: owner.token });
    const ok = await captureInBrowser(t.dsn, 'from the right site');
    await waitFor('the allowed browser event', () => recorder.events.some((e) => e.eventId === ok));
  });
});
