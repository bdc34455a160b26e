import type { createClient } from '@clickhouse/client';

/** The client's pluggable transport (what chdb/connection provides), named through the client's own types. */
export type ChConnection = NonNullable<NonNullable<Parameters<typeof createClient>[0]>['connection']>;
type BaseParams = Parameters<ChConnection['query']>[0];
type Settings = BaseParams['clickhouse_settings'];

// Settings that only mean something to the HTTP interface (clickhouse-js sends some by default);
// the embedded engine refuses them, chdb's own connection drops them the same way.
const HTTP_ONLY = new Set([
  'wait_end_of_query',
  'send_progress_in_http_headers',
  'http_response_buffer_size',
  'http_headers_progress_interval_ms',
  'http_send_progress_interval_ms',
  'enable_http_compression',
  'http_zlib_compression_level',
  'http_response_compression_method',
  'http_native_compression_disable_checksumming_on_decompress',
]);

function literal(v: unknown): string {
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? '1' : '0';
  return `'${String(v).replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

/** `SETTINGS a = 1, b = 'x'` for the query-scoped settings, or '' when there are none. */
export function settingsClause(settings: Settings): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(settings ?? {})) {
    if (v === undefined || HTTP_ONLY.has(k) || k === 'default_format') continue;
    if (!/^[A-Za-z_]\w*$/.test(k)) throw new Error(`Invalid ClickHouse setting name: ${JSON.stringify(k)}`);
    parts.push(`${k} = ${literal(v)}`);
  }
  return parts.length ? `SETTINGS ${parts.join(', ')}` : '';
}

/** Puts the SETTINGS clause before a trailing `FORMAT x` (where ClickHouse wants it), else at the end. */
export function withSettings(sql: string, settings: Settings): string {
  const clause = settingsClause(settings);
  if (!clause) return sql;
  const trimmed = sql.replace(/[\s;]+$/, '');
  const format = /\sFORMAT\s+\w+$/i.exec(trimmed);
  if (format) return `${trimmed.slice(0, format.index)} ${clause}${format[0]}`;
  return `${trimmed} ${clause}`;
}

function keepFormatOnly(settings: Settings): Settings {
  return settings?.default_format === undefined ? {} : { default_format: settings.default_format };
}

/**
 * The embedded engine's connection, made to behave like the HTTP interface in two ways the rest of
 * the code relies on:
 * - `clickhouse_settings` apply to that one statement. chdb's connection turns them into `SET`,
 *   which stays in force for every later statement of the process (a dedup token leaking into the
 *   next insert would silently drop it); here they become the statement's own SETTINGS clause.
 * - statements run in this connection's database (`USE` is per chdb session, so each database, one
 *   per test environment, gets its own session on the same engine).
 */
export function scopedConnection(inner: ChConnection): ChConnection {
  const rewrite = <P extends BaseParams>(params: P): P => ({
    ...params,
    query: withSettings(params.query, params.clickhouse_settings),
    clickhouse_settings: keepFormatOnly(params.clickhouse_settings),
  });
  return {
    ping: (p) => inner.ping(p),
    close: () => inner.close(),
    query: (p) => inner.query(rewrite(p)),
    command: (p) => inner.command(rewrite(p)),
    exec: (p) => inner.exec(rewrite(p)),
    insert: (p) => inner.insert(rewrite(p)),
  };
}
