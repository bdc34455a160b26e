import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { contract, OkSchema } from '@syntra/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { defineRoute } from '../../src/http/route.js';
import { API_ROUTES } from '../../src/routes.js';
import { SelfReporter, ensureSelfProject } from '../../src/self-report.js';
import { apiClient, registerAccount, type ApiClient, type Account } from '../support/api-client.js';
import { RecordingProcessor, waitFor } from '../support/intake.js';
import { startTestEnv, type TestEnv } from '../support/test-env.js';

let env: TestEnv;
let api: ApiClient;
let admin: Account;
const recorder = new RecordingProcessor();

beforeAll(async () => {
  env = await startTestEnv({}, { services: { errorEventProcessor: recorder } });
  api = apiClient(env.url);
  admin = await registerAccount(api, 'self'); // the first account: its organisation is the admin one
  env.deps.services.intake.startConsumer({ pollMs: 50 });
});
afterAll(() => env.close());

// A route that fails the way a bug does, to see what a 5xx reports.
const boom = defineRoute(contract({ method: 'post', path: '/api/v1/test-only/boom', body: z.object({ password: z.string() }), response: OkSchema }), {
  summary: 'fails',
  tag: 'test',
  access: { kind: 'public' },
  handler: () => {
    throw new Error('the database ran away');
  },
});

async function serve(reporter: SelfReporter) {
  const server = http.createServer(createApp({ ...env.deps, selfReport: reporter }, [...API_ROUTES, boom]).callback());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe("Syntra's own errors (SYNTRA_SELF_DSN, npm start's built-in project)", () => {
  it("syntra start's built-in Syntra project in the admin organisation gets a DSN on this process; a 5xx arrives there without secrets", async () => {
    // No local server yet: nothing to put the service on, try again later.
    expect(await ensureSelfProject(env.deps.services, env.url)).toBeNull();
    await env.db('servers').insert({ org_id: admin.orgId, name: 'this machine', agent_token_hash: 'd'.repeat(64), status: 'online', is_local: true, tags: ['local'] });
    const dsn = await ensureSelfProject(env.deps.services, env.url);
    expect(dsn).toMatch(/^http:\/\/[0-9a-f]{32}@127\.0\.0\.1:\d+\/\d+$/);
    expect(await ensureSelfProject(env.deps.services, env.url)).toBe(dsn); // idempotent: one project, one service
    const projects = await api.get('/api/v1/projects', { token: admin.token, orgId: admin.orgId });
    const project = (projects.body.data.items ?? projects.body.data).filter((p: { name: string }) => p.name === 'Syntra');
    expect(project).toHaveLength(1);

    const reporter = new SelfReporter(env.deps.logger);
    await reporter.activate(dsn!);
    const { server, url } = await serve(reporter);
    try {
      const res = await fetch(`${url}/api/v1/test-only/boom`, { method: 'POST', headers: { authorization: 'Bearer syn_pat_supersecret', 'content-type': 'application/json', cookie: 'syntra_session=sessionsecret' }, body: JSON.stringify({ password: 'hunter2-secret' }) });
      expect(res.status).toBe(500);
      await reporter.close();
      const ev = await waitFor('the reported 5xx', () => recorder.events.find((e) => JSON.stringify(e.payload).includes('the database ran away')));
      expect(ev.projectId).toBe(project[0].id);
      expect(ev.payload.tags).toMatchObject({ kind: 'http', method: 'POST', path: '/api/v1/test-only/boom' });
      const text = JSON.stringify(ev.payload);
      for (const secret of ['supersecret', 'sessionsecret', 'hunter2']) expect(text).not.toContain(secret);
      expect(ev.payload.request).toBeUndefined();
    } finally {
      server.close();
    }
  });

  it('without a DSN nothing is reported and no SDK client exists', async () => {
    const reporter = new SelfReporter(env.deps.logger);
    expect(reporter.active).toBe(false);
    const { server, url } = await serve(reporter);
    const before = recorder.events.length;
    try {
      expect((await fetch(`${url}/api/v1/test-only/boom`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"password":"x"}' })).status).toBe(500);
      await new Promise((r) => setTimeout(r, 300));
      expect(recorder.events.length).toBe(before);
      expect(env.config.selfDsn).toBeUndefined();
    } finally {
      server.close();
    }
  });
});
