import type { ClickHouseClient } from '@clickhouse/client';
import { ValidationError } from '../../../errors.js';
import type { Params } from './sql.js';

/** What one telemetry query may cost. Generous for a narrowed search, a wall for "everything, all week". */
export interface QueryLimits {
  maxExecutionSeconds: number;
  maxRowsToRead: number;
  maxBytesToRead: number;
  maxMemoryBytes: number;
}

export const DEFAULT_QUERY_LIMITS: QueryLimits = {
  maxExecutionSeconds: 10,
  maxRowsToRead: 200_000_000,
  maxBytesToRead: 8 * 1024 ** 3,
  maxMemoryBytes: 512 * 1024 ** 2,
};

/**
 * The limits as a SETTINGS clause of the statement itself, not as client settings: the embedded
 * engine (chdb) keeps client settings for the rest of its session, so they would leak into every
 * later query of the process (the store's, the bench's). A clause binds this statement only.
 * Numbers only (from config), never request values.
 */
function settingsClause(l: QueryLimits): string {
  const n = (v: number) => String(Math.max(0, Math.floor(v)));
  return (
    ` SETTINGS max_execution_time = ${n(l.maxExecutionSeconds)}, timeout_overflow_mode = 'throw',` +
    ` max_rows_to_read = ${n(l.maxRowsToRead)}, max_bytes_to_read = ${n(l.maxBytesToRead)}, read_overflow_mode = 'throw',` +
    ` max_memory_usage = ${n(l.maxMemoryBytes)}`
  );
}

/** ClickHouse's answers to a statement that hit one of the limits above. */
const TOO_BROAD = new Set(['TIMEOUT_EXCEEDED', 'TOO_MANY_ROWS', 'TOO_MANY_BYTES', 'TOO_MANY_ROWS_OR_BYTES', 'MEMORY_LIMIT_EXCEEDED']);
const TOO_BROAD_CODES = new Set(['159', '158', '307', '396', '241']);

export class QueryTooBroadError extends ValidationError {
  constructor(reason: string) {
    super('This search is too broad to answer in time: narrow the time range, pick a service, or add words or filters', { reason: 'query_too_broad', limit: reason });
  }
}

/** Runs bounded SELECTs; a statement that hits a limit is a 400 saying how to narrow it, never a 500 or a minute-long scan. */
export class BoundedQuery {
  constructor(
    private readonly ch: ClickHouseClient,
    private readonly limits: QueryLimits = DEFAULT_QUERY_LIMITS,
  ) {}

  async rows<T>(sql: string, params: Params): Promise<T[]> {
    try {
      const rs = await this.ch.query({ query: sql + settingsClause(this.limits), query_params: params.values, format: 'JSONEachRow' });
      return await rs.json<T>();
    } catch (err) {
      const e = err as { type?: string; code?: string };
      if ((e.type && TOO_BROAD.has(e.type)) || (e.code && TOO_BROAD_CODES.has(e.code))) throw new QueryTooBroadError(e.type ?? e.code ?? 'limit');
      throw err;
    }
  }
}
