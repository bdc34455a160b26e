import type { Knex } from 'knex';

/**
 * Client keys (issue 12): the DSN's public key per service, and the numeric project ref Sentry SDKs
 * route by (they accept only numeric project ids). `intake_projects` is the client-keys module's
 * per-service intake record: the ref and the browser origins allowed to post (NULL: any).
 * `ingest_queue` holds acknowledged items until the intake's workers hand them on: the
 * acknowledgement waits for this commit, so an acknowledged event survives any crash.
 * Existing services get their ref and one key here, as a new service does on creation.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('intake_projects', (t) => {
    t.uuid('service_id').primary().references('services.id').onDelete('CASCADE');
    t.increments('project_ref', { primaryKey: false }).notNullable().unique();
    t.specificType('allowed_origins', 'text[]');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.schema.createTable('client_keys', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('service_id').notNullable().references('intake_projects.service_id').onDelete('CASCADE');
    t.string('public_key', 32).notNullable().unique();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('revoked_at', { useTz: true });
    t.index(['service_id', 'created_at']);
  });
  await knex.raw(`INSERT INTO intake_projects (service_id) SELECT id FROM services ORDER BY created_at`);
  await knex.raw(`INSERT INTO client_keys (service_id, public_key) SELECT service_id, replace(gen_random_uuid()::text, '-', '') FROM intake_projects`);

  await knex.schema.createTable('ingest_queue', (t) => {
    t.bigIncrements('id').primary();
    /** event | transaction */
    t.string('kind', 16).notNullable();
    t.uuid('service_id').notNullable();
    t.uuid('org_id').notNullable();
    t.uuid('project_id').notNullable();
    t.uuid('key_id').notNullable();
    t.string('event_id', 32).notNullable();
    t.timestamp('received_at', { useTz: true }).notNullable();
    t.string('client_ip', 64);
    /** The item's JSON text as sent (after decompression), parsed again by the worker. */
    t.text('payload').notNullable();
    t.jsonb('attachments');
    t.integer('attempts').notNullable().defaultTo(0);
    /** Set when the processor failed on it too often: kept for inspection, no longer handed on. */
    t.timestamp('dead_at', { useTz: true });
  });
  await knex.raw(`CREATE INDEX ingest_queue_pending ON ingest_queue (id) WHERE dead_at IS NULL`);

  // Attachments sent with an event: in PostgreSQL (not a data dir) so any node of a scaled-out
  // installation can serve them back; size-limited by the intake.
  await knex.schema.createTable('ingest_attachments', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('service_id').notNullable().references('services.id').onDelete('CASCADE');
    t.string('event_id', 32).notNullable();
    t.string('filename', 255).notNullable();
    t.string('content_type', 255);
    t.string('attachment_type', 64);
    t.integer('size').notNullable();
    t.binary('data').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['service_id', 'event_id']);
    t.index(['created_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('ingest_attachments');
  await knex.schema.dropTableIfExists('ingest_queue');
  await knex.schema.dropTableIfExists('client_keys');
  await knex.schema.dropTableIfExists('intake_projects');
}
