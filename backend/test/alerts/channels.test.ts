import { createHmac } from 'node:crypto';
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Account, type ApiClient, apiClient, registerAccount } from '../support/api-client.js';
import { startTestEnv, type TestEnv } from '../support/test-env.js';
import { receiver } from './stand-ins.js';

let env: TestEnv;
let api: ApiClient;
let admin: Account;
let tenant: Account;
let pagerDuty: Awaited<ReturnType<typeof receiver>>;
let smtp: SMTPServer;
const mails: Array<{ to: string[]; body: string }> = [];

beforeAll(async () => {
  pagerDuty = await receiver();
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, callback) {
      let body = '';
      stream.on('data', (c: Buffer) => (body += c.toString()));
      stream.on('end', () => {
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address), body });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const smtpPort = (smtp.server.address() as AddressInfo).port;
  env = await startTestEnv({ SMTP_URL: `smtp://127.0.0.1:${smtpPort}`, SYNTRA_PAGERDUTY_EVENTS_URL: `${pagerDuty.url}/v2/enqueue` });
  api = apiClient(env.url);
  admin = await registerAccount(api, 'admin-org'); // the oldest organisation: the installation's admin org
  tenant = await registerAccount(api, 'tenant');
});

afterAll(async () => {
  await env?.close();
  await pagerDuty?.close();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

describe('notification channels', () => {
  it('keeps secrets sealed at rest and never returns them', async () => {
    const created = await api.post('/api/v1/notification-channels', { name: 'Ops hook', kind: 'webhook', config: { url: 'https://hooks.example.test/x', secret: 'super-secret-value-123' } }, { token: tenant.token, orgId: tenant.orgId });
    expect(created.status).toBe(201);
    expect(created.body.data.config).toEqual({ url: 'https://hooks.example.test/x' });
    expect(created.body.data.secrets_set).toEqual(['secret']);
    expect(JSON.stringify(created.body)).not.toContain('super-secret-value-123');
    const row = await env.db('notification_channels').where({ id: created.body.data.id }).first();
    expect(JSON.stringify(row)).not.toContain('super-secret-value-123');
    const listed = await api.get('/api/v1/notification-channels', { token: tenant.token, orgId: tenant.orgId });
    expect(JSON.stringify(listed.body)).not.toContain('super-secret-value-123');
    // A config change without the secret keeps it.
    const patched = await api.patch(`/api/v1/notification-channels/${created.body.data.id}`, { config: { url: 'https://hooks2.example.test/y' } }, { token: tenant.token });
    expect(patched.status).toBe(200);
    expect(patched.body.data.secrets_set).toEqual(['secret']);
  });

  it('refuses channel URLs on loopback, link-local and private addresses (SSRF) except for the admin organisation', async () => {
    for (const url of ['http://127.0.0.1:9/hook', 'http://169.254.169.254/latest', 'http://10.0.0.5/x', 'http://[::1]/x']) {
      const res = await api.post('/api/v1/notification-channels', { name: 'bad', kind: 'webhook', config: { url, secret: 'a-long-enough-secret' } }, { token: tenant.token, orgId: tenant.orgId });
      expect(res.status, url).toBe(400);
      expect(res.body.error.message).toContain('config.url');
    }
    const slack = await api.post('/api/v1/notification-channels', { name: 'bad', kind: 'slack', config: { webhook_url: 'http://localhost:9/x' } }, { token: tenant.token, orgId: tenant.orgId });
    expect(slack.status).toBe(400);
    const ok = await api.post('/api/v1/notification-channels', { name: 'local', kind: 'webhook', config: { url: 'http://127.0.0.1:9/hook', secret: 'a-long-enough-secret' } }, { token: admin.token, orgId: admin.orgId });
    expect(ok.status).toBe(201);
  });

  it('test sends to a webhook stand-in with a verifiable X-Syntra-Signature', async () => {
    const hook = await receiver();
    const secret = 'the-webhook-secret-1234';
    const ch = await api.post('/api/v1/notification-channels', { name: 'hook', kind: 'webhook', config: { url: `${hook.url}/in`, secret } }, { token: admin.token, orgId: admin.orgId });
    const res = await api.post(`/api/v1/notification-channels/${ch.body.data.id}/test`, undefined, { token: admin.token });
    expect(res.body.data).toEqual({ delivered: true, status_code: 200, error: null });
    const got = hook.received[0]!;
    expect(got.headers['x-syntra-signature']).toBe(`sha256=${createHmac('sha256', secret).update(got.body).digest('hex')}`);
    expect(got.json).toMatchObject({ version: 1, type: 'test', severity: 'info' });
    await hook.close();
  });

  it('test reaches Slack-, Discord- and PagerDuty-shaped stand-ins in their documented formats', async () => {
    const slackIn = await receiver();
    const discordIn = await receiver();
    const slack = await api.post('/api/v1/notification-channels', { name: 'slack', kind: 'slack', config: { webhook_url: `${slackIn.url}/services/T/B/x` } }, { token: admin.token, orgId: admin.orgId });
    const discord = await api.post('/api/v1/notification-channels', { name: 'discord', kind: 'discord', config: { webhook_url: `${discordIn.url}/api/webhooks/1/x` } }, { token: admin.token, orgId: admin.orgId });
    const pd = await api.post('/api/v1/notification-channels', { name: 'pd', kind: 'pagerduty', config: { routing_key: 'R0UT1NGKEY0000' } }, { token: tenant.token, orgId: tenant.orgId });
    for (const id of [slack.body.data.id, discord.body.data.id]) expect((await api.post(`/api/v1/notification-channels/${id}/test`, undefined, { token: admin.token })).body.data.delivered).toBe(true);
    expect((await api.post(`/api/v1/notification-channels/${pd.body.data.id}/test`, undefined, { token: tenant.token })).body.data.delivered).toBe(true);
    expect(slackIn.received[0]!.json.text).toContain('Test notification');
    expect(discordIn.received[0]!.json).toMatchObject({ content: expect.stringContaining('Test notification'), embeds: [expect.objectContaining({ title: expect.any(String) })] });
    expect(pagerDuty.received[0]!.path).toBe('/v2/enqueue');
    expect(pagerDuty.received[0]!.json).toMatchObject({ routing_key: 'R0UT1NGKEY0000', event_action: 'trigger', dedup_key: expect.any(String), payload: { severity: 'info', source: 'syntra' } });
    await slackIn.close();
    await discordIn.close();
  });

  it('test e-mails through a real SMTP server (smtp-server)', async () => {
    const ch = await api.post('/api/v1/notification-channels', { name: 'mail', kind: 'email', config: { to: ['oncall@example.test'] } }, { token: tenant.token, orgId: tenant.orgId });
    const res = await api.post(`/api/v1/notification-channels/${ch.body.data.id}/test`, undefined, { token: tenant.token });
    expect(res.body.data.delivered).toBe(true);
    expect(mails.at(-1)!.to).toEqual(['oncall@example.test']);
    expect(mails.at(-1)!.body).toContain('Subject: [Syntra] Test notification');
  });

  it("another organisation's channel does not exist (404) and bad configs are 400s naming the field", async () => {
    const ch = await api.post('/api/v1/notification-channels', { name: 'mine', kind: 'email', config: { to: ['a@example.test'] } }, { token: admin.token, orgId: admin.orgId });
    expect((await api.patch(`/api/v1/notification-channels/${ch.body.data.id}`, { name: 'x' }, { token: tenant.token })).status).toBe(404);
    const bad = await api.post('/api/v1/notification-channels', { name: 'x', kind: 'email', config: { to: ['not-an-email'] } }, { token: tenant.token, orgId: tenant.orgId });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('config.to');
  });
});
