export { type ClickHouse, type ClickHouseClient, type ClickHouseTarget, DEFAULT_ENGINE_SETTINGS, type EmbeddedEngineSettings, openClickHouse, selectRows } from './client.js';
export { migrateClickHouse } from './migrate.js';
export { CLICKHOUSE_MIGRATIONS, type ClickHouseMigration } from './migrations/index.js';
