import type { LogRecord, SeverityLevel } from '@syntra/shared';
import { SEVERITY_LEVELS } from '@syntra/shared';
import { ValidationError } from '../../../errors.js';
import type { BoundedQuery } from './bounded.js';
import { LOG_COLUMNS, type LogFilter, type LogRow, lineKey, logWhere, parseLineKey, ROW_HASH_SQL, toLogRecord } from './log-sql.js';
import { T, C } from './schema.js';
import { and, Params } from './sql.js';

/** Log search, severity facets and context over `otel_logs` (newest first, keyset pages). */
export class LogsQuery {
  constructor(private readonly q: BoundedQuery) {}

  async search(f: LogFilter, limit: number, cursor?: string): Promise<{ items: LogRecord[]; next_cursor: string | null }> {
    const p = new Params();
    const where = logWhere(f, p);
    if (cursor) {
      const key = parseLineKey(cursor);
      if (!key) throw new ValidationError('Invalid cursor', { field: 'cursor', message: 'not a cursor of this list (pass back next_cursor as it was given)' });
      where.push(`(Timestamp, ${ROW_HASH_SQL}) < (fromUnixTimestamp64Nano(${p.add(key.ns, 'Int64')}), ${p.add(key.h, 'UInt64')})`);
    }
    // TimestampTime leads the order although Timestamp alone decides it (it is Timestamp in whole
    // seconds): the order then follows the sort key past the fixed org and service, so ClickHouse
    // reads the newest granules first and stops at the LIMIT instead of sorting the whole window.
    const rows = await this.q.rows<LogRow>(
      `SELECT ${LOG_COLUMNS} FROM ${T.logs} WHERE ${and(where)} ORDER BY TimestampTime DESC, Timestamp DESC, ${ROW_HASH_SQL} DESC LIMIT ${p.add(limit + 1, 'UInt32')}`,
      p,
    );
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return { items: page.map(toLogRecord), next_cursor: rows.length > limit && last ? lineKey(last.ns, last.h) : null };
  }

  /** Counts per level of what the search matches without its severity filter (the facets stay clickable). */
  async facets(f: LogFilter): Promise<{ severity: Record<SeverityLevel, number>; total: number }> {
    const p = new Params();
    const rows = await this.q.rows<{ level: SeverityLevel; n: string }>(
      `SELECT level, count() AS n FROM (SELECT ${LOG_COLUMNS} FROM ${T.logs} WHERE ${and(logWhere({ ...f, severity: undefined }, p))}) GROUP BY level`,
      p,
    );
    const severity = Object.fromEntries(SEVERITY_LEVELS.map((l) => [l, 0])) as Record<SeverityLevel, number>;
    let total = 0;
    for (const r of rows) {
      severity[r.level] = Number(r.n);
      total += Number(r.n);
    }
    return { severity, total };
  }

  /** How many lines the search matches (alerting's log_match; severity filters apply). */
  async count(f: LogFilter): Promise<number> {
    const p = new Params();
    const [row] = await this.q.rows<{ n: string }>(`SELECT count() AS n FROM ${T.logs} WHERE ${and(logWhere(f, p))}`, p);
    return Number(row?.n ?? 0);
  }

  /**
   * The lines around one line of the same service (or, for a line without one, the same service
   * name): `before` older and `after` newer, each in time order. Looked for within an hour of it.
   */
  async context(orgId: string, id: string, before: number, after: number): Promise<{ before: LogRecord[]; line: LogRecord | null; after: LogRecord[] }> {
    const key = parseLineKey(id);
    if (!key) throw new ValidationError('Invalid line id', { field: 'id', message: 'a log line id from a log answer' });
    const p = new Params();
    const at = `fromUnixTimestamp64Nano(${p.add(key.ns, 'Int64')})`;
    const [line] = await this.q.rows<LogRow>(
      `SELECT ${LOG_COLUMNS} FROM ${T.logs} WHERE ${C.org} = ${p.add(orgId, C.idType)} AND Timestamp = ${at}${key.h === '0' ? '' : ` AND ${ROW_HASH_SQL} = ${p.add(key.h, 'UInt64')}`} LIMIT 1`,
      p,
    );
    if (!line) return { before: [], line: null, after: [] };
    // A live-tail line carries hash 0 (the tail does not hash): the stored line found above has its own.
    const pivotHash = line.h;
    const around = async (dir: 'before' | 'after', n: number) => {
      if (n === 0) return [];
      const q = new Params();
      const pos = `(Timestamp, ${ROW_HASH_SQL})`;
      const pivot = `(fromUnixTimestamp64Nano(${q.add(key.ns, 'Int64')}), ${q.add(pivotHash, 'UInt64')})`;
      const window = `toIntervalHour(1)`;
      const where = [
        `${C.org} = ${q.add(orgId, C.idType)}`,
        line.service_id ? `${C.service} = ${q.add(line.service_id, C.idType)}` : `ServiceName = ${q.add(line.ServiceName, 'String')}`,
        dir === 'before' ? `${pos} < ${pivot} AND Timestamp >= fromUnixTimestamp64Nano(${q.add(key.ns, 'Int64')}) - ${window}` : `${pos} > ${pivot} AND Timestamp <= fromUnixTimestamp64Nano(${q.add(key.ns, 'Int64')}) + ${window}`,
      ];
      const order = dir === 'before' ? 'DESC' : 'ASC';
      const rows = await this.q.rows<LogRow>(`SELECT ${LOG_COLUMNS} FROM ${T.logs} WHERE ${and(where)} ORDER BY Timestamp ${order}, ${ROW_HASH_SQL} ${order} LIMIT ${q.add(n, 'UInt32')}`, q);
      return dir === 'before' ? rows.reverse() : rows;
    };
    const [b, a] = await Promise.all([around('before', before), around('after', after)]);
    return { before: b.map(toLogRecord), line: toLogRecord(line), after: a.map(toLogRecord) };
  }
}
