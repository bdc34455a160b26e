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
    // The workers' sweep looks for verifications still pending past their end (their job lost).
    t.index(['id'], 'deployments_verification_pending', { predicate: knex.whereRaw("verification->>'status' = 'pending'") });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('deployments', (t) => {
    t.dropIndex(['id'], 'deployments_verification_pending');
    t.dropColumn('verification');
  });
  await knex.schema.alterTable('services', (t) => {
    t.dropColumn('verify');
  });
}
