import type { Knex } from 'knex';

/**
 * Post-deploy verification (issue 14): a service's `verify` setting (null: off) and each
 * deployment's verification (status, reasons, measured values, an automatic rollback).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('services', (t) => {
    t.jsonb('verify');
  });
  await knex.schema.alterTable('deployments', (t) => {
    t.jsonb('verification');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('deployments', (t) => {
    t.dropColumn('verification');
  });
  await knex.schema.alterTable('services', (t) => {
    t.dropColumn('verify');
  });
}
