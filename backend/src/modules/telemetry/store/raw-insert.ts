import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { ClickHouse } from '../../../db/clickhouse/index.js';
import type { TelemetryTable } from './otel-rows.js';

/**
 * Rows serialized for one INSERT as JSONCompactEachRow: one JSON array of values per line, in the
 * order of `columns`. Measured on the embedded engine with the bench's OTLP log rows, ClickHouse
 * parses these about a third faster than JSONEachRow (it no longer reads and matches every key of
 * every row: ~200 of a log row's ~750 bytes), and JSON.stringify of an array costs no more than of
 * the object. The parse was the largest part of an insert's cost.
 */
export interface SerializedRows {
  /** The columns named in the INSERT, in value order. */
  columns: readonly string[];
  /** `columns` joined: chunks with the same key can share one INSERT. */
  columnsKey: string;
  /** JSONCompactEachRow lines, '\n'-separated. */
  body: string;
  rows: number;
}

const COLUMN_NAME = /^[A-Za-z_][A-Za-z0-9_.]*$/;

/** Every key any row has, in first-seen order (rows of one writer share their keys; optional ones may be absent). */
function columnsOf(rows: readonly object[]): string[] {
  const columns = Object.keys(rows[0]!);
  const known = new Set(columns);
  for (const row of rows) {
    for (const key in row) {
      if (known.has(key)) continue;
      known.add(key);
      columns.push(key);
    }
  }
  return columns;
}

/**
 * A row's absent (or undefined) column is sent as null, which ClickHouse reads as the column's
 * DEFAULT (input_format_null_as_default, on by default): the same value JSONEachRow gives an
 * omitted key ('' / 0 / empty map, RetentionDays 30, TimestampTime from Timestamp).
 *
 * Values are stringified one by one, and a value that is the previous row's (the same string, or
 * the same map object: the OTLP mappers share one resource/scope attribute map among a request's
 * rows) reuses its text: most of a log row's columns repeat its neighbour's, and this serializes
 * the bench's rows ~40% faster than one JSON.stringify per row.
 */
export function serializeRows(rows: readonly object[]): SerializedRows {
  if (rows.length === 0) return { columns: [], columnsKey: '', body: '', rows: 0 };
  const columns = columnsOf(rows);
  for (const c of columns) if (!COLUMN_NAME.test(c)) throw new Error(`Not a column name: ${JSON.stringify(c)}`);
  const n = columns.length;
  const previous = new Array<unknown>(n);
  const previousText = new Array<string>(n);
  const lines = new Array<string>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] as Record<string, unknown>;
    let line = '[';
    for (let j = 0; j < n; j++) {
      const value = row[columns[j]!] ?? null;
      let text: string;
      if (i > 0 && value === previous[j]) text = previousText[j]!;
      else {
        previous[j] = value;
        text = previousText[j] = JSON.stringify(value);
      }
      line += j === 0 ? text : `,${text}`;
    }
    lines[i] = `${line}]`;
  }
  return { columns, columnsKey: columns.join(','), body: lines.join('\n'), rows: rows.length };
}

/**
 * Measured with the bench's log rows on the embedded engine (CPU seconds of the process per row):
 * - parallel parsing splits one insert's body among threads and joins them again; it bought wall
 *   time on an idle machine but cost ~8% more CPU, and the writer runs two inserts side by side instead;
 * - skip indexes (tokenbf on Body, bloom filters on ids and attribute maps) are built when parts
 *   merge, not for every freshly inserted part that is merged away seconds later anyway: ~10% less
 *   CPU per row. A part not merged yet is read without pruning, which costs a search little: such
 *   parts are the newest and small (one insert's rows).
 */
const INSERT_SETTINGS = { input_format_parallel_parsing: 0, materialize_skip_indexes_on_insert: 0 } as const;

/**
 * One INSERT of rows serialized by `serializeRows` (bodies of the same `columns` may be joined with
 * '\n'). The batched writer's insert, and the benchmark's floor (the same rows straight into the same
 * ClickHouse, no intake in front).
 *
 * exec, not insert: the rows are serialized already, and insert() wants objects to serialize. Always
 * with a dedup token: without one ClickHouse deduplicates by the block's content, and two
 * identical batches (the same log line twice in the same second) would lose one.
 */
export async function insertRows(ch: ClickHouse, table: TelemetryTable, columns: readonly string[], body: string, dedupToken: string = randomUUID()): Promise<void> {
  const result = await ch.client.exec({
    query: `INSERT INTO ${table} (${columns.map((c) => `\`${c}\``).join(', ')}) FORMAT JSONCompactEachRow`,
    values: Readable.from([body], { objectMode: false }),
    clickhouse_settings: { insert_deduplication_token: dedupToken, ...INSERT_SETTINGS },
  });
  result.stream.resume();
  await new Promise((resolve) => result.stream.once('end', resolve).once('close', resolve).once('error', resolve));
}
