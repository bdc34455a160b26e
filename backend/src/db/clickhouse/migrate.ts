import type { ClickHouse } from './client.js';
import { selectRows } from './client.js';
import { CLICKHOUSE_MIGRATIONS, type ClickHouseMigration } from './migrations/index.js';

const LEDGER = `
CREATE TABLE IF NOT EXISTS clickhouse_migrations (
    name String,
    applied_at DateTime64(3) DEFAULT now64(3)
) ENGINE = MergeTree ORDER BY name`;

/**
 * Applies what is missing, like the PostgreSQL migrations, recording each in `clickhouse_migrations`.
 * ClickHouse has no transactions or advisory locks: two nodes starting together may both run a
 * migration, which is why every statement is idempotent (the ledger then lists it twice; reads use DISTINCT).
 */
export async function migrateClickHouse(ch: ClickHouse, migrations: ReadonlyArray<readonly [string, ClickHouseMigration]> = CLICKHOUSE_MIGRATIONS): Promise<string[]> {
  await ch.client.command({ query: LEDGER });
  const done = new Set((await selectRows<{ name: string }>(ch, 'SELECT DISTINCT name FROM clickhouse_migrations')).map((r) => r.name));
  const applied: string[] = [];
  for (const [name, migration] of migrations) {
    if (done.has(name)) continue;
    for (const query of migration.statements) await ch.client.command({ query });
    await ch.client.insert({ table: 'clickhouse_migrations', values: [{ name }], format: 'JSONEachRow' });
    applied.push(name);
  }
  return applied;
}
