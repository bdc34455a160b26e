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

export interface HostSampleRow {
  /** `YYYY-MM-DD hh:mm:ss.fffffffff` (UTC), as ClickHouse returns DateTime64(9). */
  ts: string;
  /** How many times this instant's sample was stored (its `host.cpu_percent` rows): 1 when stored once. */
  copies: number;
  cpu_percent: number;
  memory_used_mb: number;
}

/** The host samples stored for a server (the `host.*` gauges, one row per instant), oldest first. */
export async function hostSamples(ch: ClickHouse, serverId: string): Promise<HostSampleRow[]> {
  const rows = await ch.client.query({
    query: `SELECT toString(TimeUnix) AS ts, countIf(MetricName = 'host.cpu_percent') AS copies,
                   anyIf(Value, MetricName = 'host.cpu_percent') AS cpu_percent,
                   anyIf(Value, MetricName = 'host.memory_used_mb') AS memory_used_mb
            FROM otel_metrics_gauge WHERE ServerId = {server:UUID} AND startsWith(MetricName, 'host.')
            GROUP BY TimeUnix ORDER BY TimeUnix`,
    query_params: { server: serverId },
    format: 'JSONEachRow',
  });
  return (await rows.json<HostSampleRow & { copies: string }>()).map((r) => ({ ...r, copies: Number(r.copies) }));
}
