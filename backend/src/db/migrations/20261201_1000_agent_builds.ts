import type { Knex } from 'knex';

/**
 * Builds run on the service's server (its agent). A deployment records the server it was sent to
 * (artifact downloads are scoped to it) and the commit list the build reported (the diff reads it:
 * the control plane keeps no git mirror any more).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('deployments', (t) => {
    t.uuid('server_id').references('servers.id').onDelete('SET NULL');
    t.string('build_base_sha', 64);
    t.jsonb('build_commits');
    t.boolean('build_commits_complete');
    t.index(['server_id', 'status'], 'idx_deployments_server_status');
  });
  // The deployment whose build uploaded the artifact (a retried upload finds it again).
  await knex.schema.alterTable('artifacts', (t) => {
    t.uuid('deployment_id').references('deployments.id').onDelete('SET NULL');
    t.index(['deployment_id'], 'idx_artifacts_deployment');
  });
  await knex.raw('UPDATE deployments d SET server_id = s.server_id FROM services s WHERE s.id = d.service_id');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('artifacts', (t) => {
    t.dropIndex(['deployment_id'], 'idx_artifacts_deployment');
    t.dropColumn('deployment_id');
  });
  await knex.schema.alterTable('deployments', (t) => {
    t.dropIndex(['server_id', 'status'], 'idx_deployments_server_status');
    t.dropColumn('build_commits_complete');
    t.dropColumn('build_commits');
    t.dropColumn('build_base_sha');
    t.dropColumn('server_id');
  });
}
