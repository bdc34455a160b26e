import type { Knex } from 'knex';

/**
 * How far an event kind's rule has read the durable records behind its events (deployments,
 * issues, server presence): the catch-up after a time no evaluator listened to the stream starts
 * here (alerts/catch-up.ts). Null: from when the rule was made.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('alert_rules', (t) => {
    t.timestamp('event_cursor', { useTz: true });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('alert_rules', (t) => {
    t.dropColumn('event_cursor');
  });
}
