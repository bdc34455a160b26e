import type { Knex } from 'knex';

/**
 * Deploy pipeline: per-service git branch and start command, installation-wide domain uniqueness,
 * deployment artifacts / env snapshots / phase timings, stored build+deploy log lines, artifacts,
 * webhook deliveries (replay protection) and runtime logs.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('services', (t) => {
    t.string('git_branch', 255);
    t.text('start_command');
  });

  // One row per hostname: the unique index is what makes a domain unique across the installation.
  await knex.schema.createTable('service_domains', (t) => {
    t.string('hostname', 253).primary();
    t.uuid('service_id').notNullable().references('services.id').onDelete('CASCADE');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['service_id']);
  });

  await knex.schema.createTable('artifacts', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('org_id').notNullable().references('organizations.id').onDelete('CASCADE');
    t.uuid('service_id').notNullable().references('services.id').onDelete('CASCADE');
    t.string('kind', 20).notNullable(); // tarball | image
    t.text('storage_key'); // file name under <data dir>/artifacts (tarballs)
    t.text('image_ref'); // image artifacts
    t.string('digest', 100).notNullable();
    t.bigInteger('size_bytes').notNullable().defaultTo(0);
    t.text('start_command');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['service_id']);
  });

  await knex.schema.alterTable('deployments', (t) => {
    t.string('git_ref', 255);
    t.uuid('artifact_id').references('artifacts.id').onDelete('SET NULL');
    t.text('env_snapshot_encrypted');
    t.specificType('env_keys', 'text[]');
    t.jsonb('phases').notNullable().defaultTo('{}');
    t.timestamp('status_changed_at', { useTz: true });
    t.uuid('replaced_deployment_id');
    t.string('image_tag', 255);
    t.integer('log_lines').notNullable().defaultTo(0);
    t.bigInteger('log_bytes').notNullable().defaultTo(0);
  });

  await knex.schema.createTable('deployment_logs', (t) => {
    t.bigIncrements('id');
    t.uuid('deployment_id').notNullable().references('deployments.id').onDelete('CASCADE');
    t.integer('seq').notNullable();
    t.timestamp('ts', { useTz: true }).notNullable();
    t.string('stream', 10).notNullable();
    t.text('line').notNullable();
    t.unique(['deployment_id', 'seq']);
  });

  await knex.schema.createTable('service_logs', (t) => {
    t.bigIncrements('id');
    t.uuid('service_id').notNullable().references('services.id').onDelete('CASCADE');
    t.uuid('deployment_id');
    t.timestamp('ts', { useTz: true }).notNullable();
    t.string('stream', 10).notNullable();
    t.text('line').notNullable();
    t.index(['service_id', 'ts']);
  });

  await knex.schema.createTable('webhook_deliveries', (t) => {
    t.string('provider', 20).notNullable();
    t.string('delivery_id', 100).notNullable();
    t.string('event', 50).notNullable();
    t.integer('deployments_created').notNullable().defaultTo(0);
    t.timestamp('received_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['provider', 'delivery_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('webhook_deliveries');
  await knex.schema.dropTableIfExists('service_logs');
  await knex.schema.dropTableIfExists('deployment_logs');
  await knex.schema.alterTable('deployments', (t) => {
    for (const c of ['git_ref', 'artifact_id', 'env_snapshot_encrypted', 'env_keys', 'phases', 'status_changed_at', 'replaced_deployment_id', 'image_tag', 'log_lines', 'log_bytes']) t.dropColumn(c);
  });
  await knex.schema.dropTableIfExists('artifacts');
  await knex.schema.dropTableIfExists('service_domains');
  await knex.schema.alterTable('services', (t) => {
    t.dropColumn('git_branch');
    t.dropColumn('start_command');
  });
}
