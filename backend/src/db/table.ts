import type { Knex } from 'knex';

/**
 * A column's value as written: the value itself or SQL (`db.raw('GREATEST(…)')`, `db.fn.now()`);
 * a json/jsonb column may also take its JSON text, which it must when the value is an array or a
 * bare string (pg would send a JS array as a PostgreSQL array and a string unquoted); a timestamp
 * column may also take an ISO 8601 string.
 */
type Writable<Row, Json extends keyof Row> = {
  [K in keyof Row]: Row[K] | Knex.Raw | (K extends Json ? string : never) | (Date extends Row[K] ? string : never);
};

/**
 * How a module registers one of its tables with knex (see backend/src/README.md): the row as read,
 * an insert that must name `Required` (every other column has a default or is nullable) and an
 * update that may set any column; `Json` lists its json/jsonb columns. `db('<table>')` is then
 * typed everywhere without casts.
 */
export type Table<Row, Required extends keyof Row = never, Json extends keyof Row = never> = Knex.CompositeTableType<
  Row,
  Pick<Writable<Row, Json>, Required> & Partial<Writable<Row, Json>>,
  Partial<Writable<Row, Json>>
>;
