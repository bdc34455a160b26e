import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/embedded/free-port.js';
import { createDb } from '../../src/db/knex.js';
import { apiClient, registerAccount } from '../support/api-client.js';
import { sentryNode } from '../support/intake.js';
import { startSyntraProcess, type SyntraProcess } from '../support/syntra-process.js';
import { createTestDatabase, testRedisUrl } from '../support/test-env.js';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let api: SyntraProcess;
let ingest: SyntraProcess;
let apiUrl = '';
let ingestUrl = '';

beforeAll(async () => {
  database = await createTestDatabase();
  const [apiPort, ingestPort] = [await freePort(), await freePort()];
  apiUrl = `http://127.0.0.1:${apiPort}`;
  ingestUrl = `http://127.0.0.1:${ingestPort}`;
  const shared = { DATABASE_URL: database.url, REDIS_URL: testRedisUrl(), SYNTRA_SECRET_KEY: 'b'.repeat(64), PUBLIC_URL: ingestUrl, SYNTRA_SIGNUP: 'open', SYNTRA_REGISTER_LIMIT_PER_IP: '100000', HOST: '127.0.0.1' };
  api = await startSyntraProcess('api', { ...shared, PORT: String(apiPort) }, () => fetch(`${apiUrl}/readyz`).then((r) => r.ok, () => false));
  ingest = await startSyntraProcess('ingest', { ...shared, INGEST_PORT: String(ingestPort) }, () => fetch(`${ingestUrl}/healthz`).then((r) => r.ok, () => false));
}, 120_000);
afterAll(async () => {
  await ingest?.stop();
  await api?.stop();
  await database?.drop();
});

describe('syntra ingest', () => {
  it('serves the intake on INGEST_PORT: the SDK pointed at the DSN (PUBLIC_URL = the intake) gets its events made durable; the api role does not serve intake paths', async () => {
    const client = apiClient(apiUrl);
    const owner = await registerAccount(client, 'role');
    const db = createDb(database.url, { min: 0, max: 1 });
    try {
      const [server] = await db('servers').insert({ org_id: owner.orgId, name: 'srv', agent_token_hash: 'c'.repeat(64), status: 'online' }).returning('id');
      const project = await client.post('/api/v1/projects', { name: 'Shop' }, { token: owner.token, orgId: owner.orgId });
      const service = await client.post(`/api/v1/projects/${project.body.data.id}/services`, { name: 'web', server_id: server!.id }, { token: owner.token });
      const keys = await client.get(`/api/v1/services/${service.body.data.id}/keys`, { token: owner.token });
      const dsn: string = keys.body.data.items[0].dsn;
      expect(dsn.startsWith(`http://${keys.body.data.items[0].public_key}@127.0.0.1:${new URL(ingestUrl).port}/`)).toBe(true);

      const sdk = sentryNode(dsn, { release: 'r1' });
      const id = sdk.scope.captureException(new Error('through the ingest role'));
      expect(await sdk.flush()).toBe(true);
      // Acknowledged means committed: the row is there (no worker runs in this test to take it).
      const row = await db('ingest_queue').where({ event_id: id }).first();
      expect(row).toMatchObject({ kind: 'event', service_id: service.body.data.id, org_id: owner.orgId });
      expect(JSON.parse(row!.payload).release).toBe('r1');

      const onApi = await fetch(`${apiUrl}/api/${dsn.split('/').pop()}/envelope/?sentry_key=${keys.body.data.items[0].public_key}`, { method: 'POST', body: '{}\n' });
      expect(onApi.status).toBe(404);
    } finally {
      await db.destroy();
    }
  });
});
