import type { Knex } from 'knex';

/**
 * A token minted by another token remembers it: revoking the parent revokes what it minted (the
 * cascade), so a leaked token cannot leave copies behind that outlive its revocation.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('api_tokens', (t) => {
    t.uuid('parent_id').references('api_tokens.id').onDelete('CASCADE');
    t.index(['parent_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('api_tokens', (t) => {
    t.dropColumn('parent_id');
  });
}
