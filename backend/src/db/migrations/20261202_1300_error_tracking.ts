import type { Knex } from 'knex';

/**
 * Error tracking (issue 12): the seed's error_groups / error_events grow into Sentry-style issues and
 * stored events. Issues keep their organisation and project beside the service so the org-wide list
 * and tenancy checks need no join on other modules' tables; events are keyed by the SDK's event_id
 * per service (redelivered batches are no-ops) and keep the normalised event compressed in `payload`.
 * Distinct users are counted from hashed identities (error_group_users) and hourly counts feed the
 * list's sparklines (error_group_hourly). Retention is per organisation (error_retention).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('error_groups', (t) => {
    t.uuid('org_id');
    t.uuid('project_id');
    t.text('culprit');
    t.string('level', 16).notNullable().defaultTo('error');
    t.text('message');
    t.string('platform', 32);
    t.text('first_release');
    t.text('last_release');
    t.specificType('environments', 'text[]').notNullable().defaultTo('{}');
    t.uuid('first_deployment_id').references('deployments.id').onDelete('SET NULL');
    t.boolean('resolve_in_next_release').notNullable().defaultTo(false);
    // The newest release seen when "resolve in next release" was chosen: only a different release regresses.
    t.text('resolved_in_release');
    t.timestamp('ignored_until_at', { useTz: true });
    // "Ignore until N more events": the event_count at which the issue comes back.
    t.bigInteger('ignored_until_count');
    t.timestamp('status_changed_at', { useTz: true });
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  // Seed rows (if any) take their org and project from their service.
  await knex.raw(`
    UPDATE error_groups g SET project_id = s.project_id, org_id = p.org_id
    FROM services s JOIN projects p ON p.id = s.project_id WHERE s.id = g.service_id`);
  await knex.raw('DELETE FROM error_groups WHERE org_id IS NULL');
  await knex.schema.alterTable('error_groups', (t) => {
    t.uuid('org_id').notNullable().alter();
    t.uuid('project_id').notNullable().alter();
    t.bigInteger('event_count').notNullable().defaultTo(0).alter();
    t.integer('user_count').notNullable().defaultTo(0).alter();
    t.index(['org_id', 'last_seen_at', 'id'], 'idx_error_groups_org_last_seen');
    t.index(['project_id', 'last_seen_at', 'id'], 'idx_error_groups_project_last_seen');
    t.index(['first_deployment_id'], 'idx_error_groups_first_deployment');
  });

  await knex.schema.alterTable('error_events', (t) => {
    // Sentry allows releases of 200 characters and environments of 64; the seed's were shorter.
    t.string('release', 200).alter();
    t.string('environment', 64).alter();
    t.uuid('org_id');
    t.uuid('service_id');
    t.string('event_id', 32);
    t.string('level', 16).notNullable().defaultTo('error');
    t.text('message');
    t.timestamp('received_at', { useTz: true });
    // The normalised event (exception chain, breadcrumbs, tags, contexts, request, user), gzip'd JSON.
    t.binary('payload');
    t.integer('payload_size');
  });
  await knex.raw(`
    UPDATE error_events e SET service_id = g.service_id, org_id = g.org_id, event_id = replace(e.id::text, '-', '')
    FROM error_groups g WHERE g.id = e.error_group_id`);
  await knex.schema.alterTable('error_events', (t) => {
    t.uuid('org_id').notNullable().alter();
    t.uuid('service_id').notNullable().alter();
    t.string('event_id', 32).notNullable().alter();
    t.jsonb('stack_trace').nullable().alter();
    t.unique(['service_id', 'event_id'], { indexName: 'idx_error_events_service_event' });
    t.index(['error_group_id', 'timestamp', 'id'], 'idx_error_events_group_time');
    t.index(['org_id', 'timestamp'], 'idx_error_events_org_time');
    // Covered by the two above; every index is written for every stored event.
    t.dropIndex([], 'idx_error_events_group');
    t.dropIndex([], 'idx_error_events_timestamp');
  });

  await knex.schema.createTable('error_group_users', (t) => {
    t.uuid('error_group_id').notNullable().references('error_groups.id').onDelete('CASCADE');
    t.string('user_hash', 64).notNullable();
    t.primary(['error_group_id', 'user_hash']);
  });

  await knex.schema.createTable('error_group_hourly', (t) => {
    t.uuid('error_group_id').notNullable().references('error_groups.id').onDelete('CASCADE');
    t.timestamp('hour', { useTz: true }).notNullable();
    t.integer('count').notNullable().defaultTo(0);
    t.primary(['error_group_id', 'hour']);
  });

  await knex.schema.createTable('error_retention', (t) => {
    t.uuid('org_id').primary().references('organizations.id').onDelete('CASCADE');
    t.integer('retention_days').notNullable().defaultTo(30);
    // False while the organisation has not chosen: the default applies (and may change).
    t.boolean('chosen').notNullable().defaultTo(false);
    t.timestamp('last_pruned_at', { useTz: true });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('error_retention');
  await knex.schema.dropTableIfExists('error_group_hourly');
  await knex.schema.dropTableIfExists('error_group_users');
  await knex.schema.alterTable('error_events', (t) => {
    t.dropUnique(['service_id', 'event_id'], 'idx_error_events_service_event');
    t.dropIndex([], 'idx_error_events_group_time');
    t.dropIndex([], 'idx_error_events_org_time');
    t.index(['error_group_id'], 'idx_error_events_group');
    t.index(['timestamp'], 'idx_error_events_timestamp');
    t.dropColumns('org_id', 'service_id', 'event_id', 'level', 'message', 'received_at', 'payload', 'payload_size');
  });
  await knex.schema.alterTable('error_groups', (t) => {
    t.dropIndex([], 'idx_error_groups_org_last_seen');
    t.dropIndex([], 'idx_error_groups_project_last_seen');
    t.dropIndex([], 'idx_error_groups_first_deployment');
    t.dropColumns(
      'org_id', 'project_id', 'culprit', 'level', 'message', 'platform', 'first_release', 'last_release',
      'environments', 'first_deployment_id', 'resolve_in_next_release', 'resolved_in_release',
      'ignored_until_at', 'ignored_until_count', 'status_changed_at', 'updated_at',
    );
  });
}
