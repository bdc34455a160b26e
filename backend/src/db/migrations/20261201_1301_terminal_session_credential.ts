import type { Knex } from 'knex';

/**
 * The credential (session or API token) that opened a terminal session. Its ticket is only as good
 * as that credential: revoked or expired, the ticket stops attaching and a live console is closed.
 * Sessions opened before this migration have none recorded and keep the older rule.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('terminal_sessions', (t) => {
    t.string('credential_kind', 16);
    t.uuid('credential_id');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('terminal_sessions', (t) => {
    t.dropColumn('credential_kind');
    t.dropColumn('credential_id');
  });
}
