import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { type ClickHouse, migrateClickHouse, openClickHouse } from '../../src/db/clickhouse/index.js';

/**
 * How tests get a ClickHouse: a fresh, migrated database of their own.
 *
 * - By default on the engine embedded in this vitest worker process (vitest runs files in forked
 *   processes here, `pool: 'forks'`; libchdb allows one data dir per process, so each process has
 *   its own under SYNTRA_TEST_TMP, and each test environment its own database and chdb session in it).
 * - With `url` (or SYNTRA_TEST_CLICKHOUSE_URL set), over the client's HTTP transport: a ClickHouse
 *   server, or the stand-in of `clickhouse-http-stand-in.ts`.
 */
export interface TestClickHouse {
  ch: ClickHouse;
  drop(): Promise<void>;
}

export function testEnginePath(): string {
  const tmp = process.env.SYNTRA_TEST_TMP;
  if (!tmp) throw new Error('SYNTRA_TEST_TMP is not set: run tests with "npm test"');
  return path.join(tmp, 'clickhouse', String(process.pid));
}

export async function createTestClickHouse(opts: { url?: string } = {}): Promise<TestClickHouse> {
  const database = `t_${randomUUID().replace(/-/g, '')}`;
  const url = opts.url ?? process.env.SYNTRA_TEST_CLICKHOUSE_URL;
  const ch = await openClickHouse(url ? { url, database } : { embeddedPath: testEnginePath(), database });
  await migrateClickHouse(ch);
  return {
    ch,
    drop: async () => {
      await ch.client.command({ query: `DROP DATABASE IF EXISTS ${database} SYNC` });
      await ch.close();
    },
  };
}
