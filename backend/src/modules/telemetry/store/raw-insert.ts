import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { ClickHouse } from '../../../db/clickhouse/index.js';
import type { TelemetryTable } from './otel-rows.js';

/**
 * One INSERT of rows already serialized as JSONEachRow lines. The batched writer's insert, and the
 * benchmark's floor (the same rows straight into the same ClickHouse, no intake in front).
 *
 * exec, not insert: the rows are JSON already, and insert() wants objects to serialize. Always
 * with a dedup token: without one ClickHouse deduplicates by the block's content, and two
 * identical batches (the same log line twice in the same second) would lose one.
 */
export async function insertJsonEachRow(ch: ClickHouse, table: TelemetryTable, ndjson: string, dedupToken: string = randomUUID()): Promise<void> {
  const result = await ch.client.exec({
    query: `INSERT INTO ${table} FORMAT JSONEachRow`,
    values: Readable.from([ndjson], { objectMode: false }),
    clickhouse_settings: { insert_deduplication_token: dedupToken },
  });
  result.stream.resume();
  await new Promise((resolve) => result.stream.once('end', resolve).once('close', resolve).once('error', resolve));
}
