import type { Knex } from 'knex';

/**
 * Error events move to ClickHouse (issue 13; ClickHouse migration 20261202_1350_error_events).
 * Issues and their counters stay here, with what counting needs in the same transaction:
 * - error_counted_events: the (service, event id) pairs already counted, so a redelivered batch
 *   adds nothing twice. Only the redelivery window matters (the retention worker keeps 7 days).
 * - error_group_releases: the releases an issue has seen and when first (the list's release filter,
 *   and "resolved in next release" deciding whether a release is older than the resolve).
 * The events table itself is dropped: nothing else reads it (the issues API reads through the store).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('error_counted_events', (t) => {
    t.uuid('service_id').notNullable().references('services.id').onDelete('CASCADE');
    t.string('event_id', 32).notNullable();
    t.timestamp('counted_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['service_id', 'event_id']);
    t.index(['counted_at'], 'idx_error_counted_events_at');
  });
  await knex.schema.createTable('error_group_releases', (t) => {
    t.uuid('error_group_id').notNullable().references('error_groups.id').onDelete('CASCADE');
    t.string('release', 200).notNullable();
    t.timestamp('first_seen_at', { useTz: true }).notNullable();
    t.primary(['error_group_id', 'release']);
    t.index(['release'], 'idx_error_group_releases_release');
  });
  await knex.raw(`
    INSERT INTO error_group_releases (error_group_id, release, first_seen_at)
    SELECT error_group_id, release, min(timestamp) FROM error_events WHERE release IS NOT NULL GROUP BY 1, 2`);
  await knex.raw(`
    INSERT INTO error_counted_events (service_id, event_id, counted_at)
    SELECT service_id, event_id, received_at FROM error_events WHERE received_at > now() - interval '7 days'
    ON CONFLICT DO NOTHING`);
  await knex.schema.dropTable('error_events');
}

export async function down(knex: Knex): Promise<void> {
  // The events themselves stay in ClickHouse; the table comes back empty, in its 20261202_1300 shape.
  await knex.schema.createTable('error_events', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('error_group_id').notNullable().references('error_groups.id').onDelete('CASCADE');
    t.uuid('org_id').notNullable();
    t.uuid('service_id').notNullable();
    t.string('event_id', 32).notNullable();
    t.uuid('deployment_id').references('deployments.id').onDelete('SET NULL');
    t.jsonb('stack_trace');
    t.jsonb('breadcrumbs');
    t.jsonb('context');
    t.string('level', 16).notNullable().defaultTo('error');
    t.text('message');
    t.string('environment', 64);
    t.string('release', 200);
    t.string('user_id_hash', 64);
    t.timestamp('timestamp', { useTz: true }).notNullable();
    t.timestamp('received_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.binary('payload');
    t.integer('payload_size');
    t.unique(['service_id', 'event_id'], { indexName: 'idx_error_events_service_event' });
    t.index(['error_group_id', 'timestamp', 'id'], 'idx_error_events_group_time');
    t.index(['org_id', 'timestamp'], 'idx_error_events_org_time');
  });
  await knex.schema.dropTable('error_group_releases');
  await knex.schema.dropTable('error_counted_events');
}
