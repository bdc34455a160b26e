import * as otelTables from './20261202_1500_otel_tables.js';
import * as errorEventColumns from './20261202_1501_error_event_columns.js';
import * as errorEvents from './20261202_1350_error_events.js';
import * as mergeSelector from './20261204_1000_merge_selector.js';

export interface ClickHouseMigration {
  /** Idempotent statements (IF NOT EXISTS, ADD COLUMN IF NOT EXISTS …), run in order. */
  statements: readonly string[];
}

/**
 * Every ClickHouse migration in order (prefixes as in contracts: clickhouse 20261202_1500_*, otlp
 * 20261202_1600_*, observe 20261202_1650_*). Listed, not globbed, so they load the same under tsx,
 * vitest and the bundle.
 */
export const CLICKHOUSE_MIGRATIONS: ReadonlyArray<readonly [name: string, migration: ClickHouseMigration]> = [
  // grouping (issue 12): the error module's error_events. Listed by name, so on a new database it
  // comes first and 1500/1501's placeholder statements for that table are no-ops (IF NOT EXISTS); on
  // a database that already ran them it replaces the placeholder (never written).
  ['20261202_1350_error_events', errorEvents],
  ['20261202_1500_otel_tables', otelTables],
  ['20261202_1501_error_event_columns', errorEventColumns],
  ['20261204_1000_merge_selector', mergeSelector],
];
