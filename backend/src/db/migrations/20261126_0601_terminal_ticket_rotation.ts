import type { Knex } from 'knex';

/**
 * Terminal tickets rotate on every attach: `ticket_hash` is the one the console holds now; the one
 * it attached with stays valid until `prev_ticket_expires_at`, in case its socket dropped before the
 * new ticket reached it.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('terminal_sessions', (t) => {
    t.string('prev_ticket_hash', 64);
    t.timestamp('prev_ticket_expires_at', { useTz: true });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('terminal_sessions', (t) => {
    t.dropColumn('prev_ticket_hash');
    t.dropColumn('prev_ticket_expires_at');
  });
}
