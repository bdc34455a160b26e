import type { Knex } from 'knex';

/**
 * Which runtime a service's auto-detected builds target: `process` (a tarball run as supervised
 * processes) or `docker` (a generated Dockerfile built into an image). Dockerfile and image
 * services always run on `docker`; existing ones are set so.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('services', (t) => {
    t.string('runtime', 16).notNullable().defaultTo('process');
  });
  await knex('services').whereIn('source_type', ['dockerfile', 'image']).update({ runtime: 'docker' });
  await knex.schema.raw("ALTER TABLE services ADD CONSTRAINT services_runtime_check CHECK (runtime IN ('process', 'docker'))");
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('services', (t) => {
    t.dropColumn('runtime');
  });
}
