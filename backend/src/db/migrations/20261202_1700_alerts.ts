import type { Knex } from 'knex';

/**
 * Alerts (issue 14): notification channels (secrets sealed), rules with an evaluation lease, their
 * events, silences and the delivery log.
 *
 * Double firing is prevented by the database, not by timing: at most one open (pending or firing)
 * event per rule and subject (`alert_events_open`), and at most one event per rule and occurrence
 * (`occurrence_key`: the deployment, the offline transition…), since every worker hears the same
 * stream event. A delivery exists once per channel and topic (`notification_deliveries` unique).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('notification_channels', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('org_id').notNullable().references('organizations.id').onDelete('CASCADE');
    t.string('name', 200).notNullable();
    t.string('kind', 20).notNullable();
    t.jsonb('config').notNullable().defaultTo('{}');
    t.text('secrets_sealed');
    t.specificType('deploy_events', 'text[]').notNullable().defaultTo('{}');
    t.uuid('created_by').references('users.id').onDelete('SET NULL');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['org_id']);
  });
  await knex.schema.createTable('alert_rules', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('org_id').notNullable().references('organizations.id').onDelete('CASCADE');
    t.string('name', 200).notNullable();
    t.string('kind', 32).notNullable();
    t.uuid('scope_server_id').references('servers.id').onDelete('CASCADE');
    t.uuid('scope_service_id').references('services.id').onDelete('CASCADE');
    t.uuid('scope_project_id').references('projects.id').onDelete('CASCADE');
    t.jsonb('condition').notNullable().defaultTo('{}');
    t.string('severity', 16).notNullable();
    t.integer('for_seconds').notNullable().defaultTo(0);
    t.integer('cooldown_seconds').notNullable().defaultTo(0);
    t.specificType('channel_ids', 'uuid[]').notNullable().defaultTo('{}');
    t.boolean('enabled').notNullable().defaultTo(true);
    t.uuid('created_by').references('users.id').onDelete('SET NULL');
    // The evaluation lease: which evaluator holds the rule until when (a dead one's lease lapses).
    t.string('lease_owner', 64);
    t.timestamp('lease_until', { useTz: true });
    t.timestamp('next_eval_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('last_evaluated_at', { useTz: true });
    t.timestamp('last_fired_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['org_id']);
    t.index(['enabled', 'next_eval_at']);
  });
  await knex.schema.createTable('alert_events', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('org_id').notNullable().references('organizations.id').onDelete('CASCADE');
    t.uuid('rule_id').notNullable().references('alert_rules.id').onDelete('CASCADE');
    t.string('status', 16).notNullable();
    t.string('severity', 16).notNullable();
    t.string('subject_key', 200).notNullable();
    t.string('occurrence_key', 200);
    t.uuid('service_id');
    t.uuid('server_id');
    t.text('summary').notNullable();
    t.jsonb('values').notNullable().defaultTo('{}');
    t.boolean('silenced').notNullable().defaultTo(false);
    t.timestamp('started_at', { useTz: true }).notNullable();
    t.timestamp('fired_at', { useTz: true });
    t.timestamp('resolved_at', { useTz: true });
    t.uuid('acknowledged_by').references('users.id').onDelete('SET NULL');
    t.timestamp('acknowledged_at', { useTz: true });
    t.unique(['rule_id', 'occurrence_key']);
    t.index(['org_id', 'started_at']);
    t.index(['service_id', 'started_at']);
    t.index(['server_id', 'started_at']);
  });
  await knex.raw("CREATE UNIQUE INDEX alert_events_open ON alert_events (rule_id, subject_key) WHERE status <> 'resolved'");
  await knex.schema.createTable('alert_silences', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('org_id').notNullable().references('organizations.id').onDelete('CASCADE');
    t.uuid('rule_id').references('alert_rules.id').onDelete('CASCADE');
    t.uuid('scope_server_id').references('servers.id').onDelete('CASCADE');
    t.uuid('scope_service_id').references('services.id').onDelete('CASCADE');
    t.uuid('scope_project_id').references('projects.id').onDelete('CASCADE');
    t.timestamp('until', { useTz: true }).notNullable();
    t.string('comment', 500);
    t.uuid('created_by').references('users.id').onDelete('SET NULL');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['org_id', 'until']);
  });
  await knex.schema.createTable('notification_deliveries', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('org_id').notNullable().references('organizations.id').onDelete('CASCADE');
    t.uuid('channel_id').references('notification_channels.id').onDelete('SET NULL');
    t.string('channel_name', 200).notNullable();
    t.string('channel_kind', 20).notNullable();
    t.uuid('alert_event_id').references('alert_events.id').onDelete('CASCADE');
    // What is told: `alert.firing:<event>`, `alert.resolved:<event>`, `deploy.failed:<deployment>`, `test:<uuid>`.
    t.string('topic', 200).notNullable();
    // The message as built when the delivery was created (no secrets: those are read at send time).
    t.jsonb('message').notNullable();
    t.string('status', 16).notNullable().defaultTo('pending');
    t.jsonb('attempts').notNullable().defaultTo('[]');
    t.timestamp('delivered_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['channel_id', 'topic']);
    t.index(['alert_event_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('notification_deliveries');
  await knex.schema.dropTableIfExists('alert_silences');
  await knex.schema.dropTableIfExists('alert_events');
  await knex.schema.dropTableIfExists('alert_rules');
  await knex.schema.dropTableIfExists('notification_channels');
}
