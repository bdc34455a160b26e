import type { Knex } from 'knex';

/**
 * A GitHub webhook secret per project (sealed like the deploy key): a delivery names its project
 * and is verified with that project's secret, so one tenant's secret never signs pushes for another.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('projects', (t) => {
    t.text('webhook_secret_encrypted');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('projects', (t) => {
    t.dropColumn('webhook_secret_encrypted');
  });
}
