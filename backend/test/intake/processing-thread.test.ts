import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/embedded/free-port.js';
import { createDb } from '../../src/db/knex.js';
import { apiClient, registerAccount } from '../support/api-client.js';
import { sentryNode, serviceWithDsn, waitFor } from '../support/intake.js';
import { startSyntraProcess, type SyntraProcess } from '../support/syntra-process.js';
import { createTestDatabase, testRedisUrl } from '../support/test-env.js';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let syntra: SyntraProcess;
let url = '';
let dataDir = '';

const count = (text: string, needle: string) => text.split(needle).length - 1;

beforeAll(async () => {
  database = await createTestDatabase();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'syntra-thread-'));
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  syntra = await startSyntraProcess(
    'start',
    {
      DATABASE_URL: database.url,
      REDIS_URL: testRedisUrl(),
      SYNTRA_SECRET_KEY: 'c'.repeat(64),
      SYNTRA_DATA_DIR: dataDir,
      SYNTRA_LOCAL_AGENT: 'false',
      SYNTRA_SIGNUP: 'open',
      SYNTRA_REGISTER_LIMIT_PER_IP: '100000',
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: url,
      LOG_LEVEL: 'debug',
    },
    () => fetch(`${url}/readyz`).then((r) => r.ok, () => false),
  );
}, 120_000);
afterAll(async () => {
  await syntra?.stop();
  await database?.drop();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("syntra start's intake processing thread", () => {
  it('starts with the first event and groups what the intake accepted, while the main thread serves and reads the same ClickHouse', async () => {
    // Nothing waits in the queue at start-up: no thread yet (an idle `npm start` does not carry one).
    expect(syntra.output()).not.toContain('intake processing thread ready');

    const client = apiClient(url);
    const owner = await registerAccount(client, 'thread');
    const db = createDb(database.url, { min: 0, max: 1 });
    try {
      const { dsn } = await serviceWithDsn({ db }, client, owner);
      const sdk = sentryNode(dsn, { release: 'r1' });
      const issues = async () => (await client.get('/api/v1/issues', { token: owner.token, orgId: owner.orgId })).body.data.items as Array<{ id: string; title: string; event_count: number }>;
      // Read by the main thread from the ClickHouse engine the thread wrote to (one engine per process).
      const latestEvent = async (issueId: string) => (await client.get(`/api/v1/issues/${issueId}/events/latest`, { token: owner.token, orgId: owner.orgId })).body.data as { event_id: string; release: string };

      const firstId = sdk.scope.captureException(new TypeError('first after start'));
      expect(await sdk.flush()).toBe(true);
      const first = await waitFor('the first event grouped', async () => (await issues()).find((i) => i.title.includes('first after start')), 30_000);
      expect(count(syntra.output(), 'intake processing thread ready')).toBe(1);
      expect(await latestEvent(first.id)).toMatchObject({ event_id: firstId, release: 'r1' });

      // More events go to the same thread (one thread for the process's life).
      for (let i = 0; i < 5; i++) sdk.scope.captureException(new RangeError('a burst'));
      expect(await sdk.flush()).toBe(true);
      const burst = await waitFor('the burst grouped', async () => (await issues()).find((i) => i.title.includes('a burst') && i.event_count === 5), 30_000);
      expect((await latestEvent(burst.id)).release).toBe('r1');
      expect(count(syntra.output(), 'intake processing thread ready')).toBe(1);
      expect(syntra.output()).not.toContain('processing intake events on the main thread');
      // The queue's rows go in the consumer's own commit, just after the issue's.
      await waitFor('an empty queue', async () => Number((await db('ingest_queue').count<{ n: string }[]>({ n: '*' }))[0]!.n) === 0);
    } finally {
      await db.destroy();
    }
    // A clean stop: the thread goes after the main thread's last ClickHouse writes, nothing hangs.
    await syntra.stop();
    expect(syntra.child.exitCode).toBe(0);
  }, 90_000);
});
