import type { QueryBuilder, Model } from 'objection';
import { ValidationError } from '../errors.js';

/**
 * Keyset pagination over (time column, id) descending: stable under inserts, no OFFSET scans.
 * The cursor is opaque to clients.
 */
export interface Cursor {
  at: string;
  id: string;
}

export function encodeCursor(at: Date, id: string): string {
  return Buffer.from(`${at.toISOString()}|${id}`).toString('base64url');
}

/** Row ids are UUIDs, or bigserial numbers for high-volume tables (health checks). */
const CURSOR_ID = /^([0-9a-f-]{36}|\d{1,19})$/;

export function decodeCursor(cursor: string): Cursor {
  const [at, id] = Buffer.from(cursor, 'base64url').toString().split('|');
  if (!at || !id || Number.isNaN(Date.parse(at)) || !CURSOR_ID.test(id)) {
    throw new ValidationError('Invalid cursor', { field: 'cursor' });
  }
  return { at, id };
}

export function applyKeyset<M extends Model>(
  query: QueryBuilder<M, M[]>,
  cursor: string | undefined,
  timeCol: string,
  idCol: string,
  limit: number,
): QueryBuilder<M, M[]> {
  if (cursor) {
    const c = decodeCursor(cursor);
    void query.whereRaw(`(??, ??) < (?, ?)`, [timeCol, idCol, c.at, c.id]);
  }
  return query.orderBy([{ column: timeCol, order: 'desc' }, { column: idCol, order: 'desc' }]).limit(limit + 1);
}

/** Given `limit + 1` rows, returns the page and the cursor of the next one. */
export function pageResult<T, R>(rows: T[], limit: number, key: (row: T) => { at: Date; id: string }, map: (row: T) => R) {
  const hasMore = rows.length > limit;
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  const next = hasMore && last ? key(last) : null;
  return { items: items.map(map), next_cursor: next ? encodeCursor(next.at, next.id) : null };
}
