import type { Knex } from 'knex';

/** A project's SSH deploy key (sealed like env values) for cloning private repositories over ssh. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('projects', (t) => {
    t.text('git_deploy_key_encrypted');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('projects', (t) => {
    t.dropColumn('git_deploy_key_encrypted');
  });
}
