import type { Knex } from 'knex';

/** A column's value as written: the value itself, or SQL (`db.raw('GREATEST(…)')`, `db.fn.now()`). */
type Writable<Row> = { [K in keyof Row]: Row[K] | Knex.Raw };

/**
 * How a module registers one of its tables with knex (see backend/src/README.md): the row as read,
 * an insert that must name `Required` (every other column has a default or is nullable) and an
 * update that may set any column. `db('<table>')` is then typed everywhere without casts.
 */
export type Table<Row, Required extends keyof Row> = Knex.CompositeTableType<
  Row,
  Pick<Writable<Row>, Required> & Partial<Writable<Row>>,
  Partial<Writable<Row>>
>;
