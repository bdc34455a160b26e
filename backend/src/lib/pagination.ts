import type { Knex } from 'knex';
import { type CursorIdKind, decodeKeysetCursor, encodeKeysetCursor, type KeysetCursor } from '@syntra/shared';
import { ValidationError } from '../errors.js';

/**
 * Keyset pagination over (time column, id) descending: stable under inserts, no OFFSET scans.
 * The cursor is opaque to clients.
 */
export type Cursor = KeysetCursor;

export function encodeCursor(at: Date, id: string): string {
  return encodeKeysetCursor(at, id);
}

/**
 * Routes validate their cursor in the query schema (keysetCursorSchema of the list's key type);
 * this is the last guard for a caller that did not, still a 400 rather than a database error.
 */
export function decodeCursor(cursor: string, kind: CursorIdKind = 'uuid'): Cursor {
  const decoded = decodeKeysetCursor(cursor, kind);
  if (!decoded) throw new ValidationError('Invalid cursor', { field: 'cursor' });
  return decoded;
}

/** Narrows `query` (a list, newest first) to the page after `cursor`, fetching `limit + 1` rows for pageResult. */
export function applyKeyset<Q extends Knex.QueryBuilder>(query: Q, cursor: string | undefined, timeCol: string, idCol: string, limit: number): Q {
  if (cursor) {
    const c = decodeCursor(cursor);
    void query.whereRaw(`(??, ??) < (?, ?)`, [timeCol, idCol, c.at, c.id]);
  }
  return query.orderBy([{ column: timeCol, order: 'desc' }, { column: idCol, order: 'desc' }]).limit(limit + 1) as Q;
}

/** Given `limit + 1` rows, returns the page and the cursor of the next one. */
export function pageResult<T, R>(rows: T[], limit: number, key: (row: T) => { at: Date; id: string }, map: (row: T) => R) {
  const hasMore = rows.length > limit;
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  const next = hasMore && last ? key(last) : null;
  return { items: items.map(map), next_cursor: next ? encodeCursor(next.at, next.id) : null };
}
