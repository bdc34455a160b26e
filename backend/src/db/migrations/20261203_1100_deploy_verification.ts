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
  // The workers' sweep looks for verifications still pending past their end (their job lost).
  await knex.raw(`CREATE INDEX deployments_verification_pending ON deployments (id) WHERE verification->>'status' = 'pending'`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX IF EXISTS deployments_verification_pending');
  await knex.schema.alterTable('deployments', (t) => {
    t.dropColumn('verification');
  });
  await knex.schema.alterTable('services', (t) => {
    t.dropColumn('verify');
  });
}
