import type { Knex } from 'knex';

/**
 * The agent hub's tables: status history, host metrics (the telemetry store's PostgreSQL tables in
 * embedded mode), and commands kept until the agent answers them so none is lost or run twice.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('servers', (t) => {
    t.string('agent_id', 100);
    t.bigInteger('telemetry_acked_seq').notNullable().defaultTo(0);
    // The machine `syntra start` runs on, registered with its own local agent.
    t.boolean('is_local').notNullable().defaultTo(false);
  });

  await knex.schema.createTable('server_status_events', (t) => {
    t.bigIncrements('id').primary();
    t.uuid('server_id').notNullable().references('servers.id').onDelete('CASCADE');
    t.enu('status', null, { useNative: true, existingType: true, enumName: 'server_status' }).notNullable();
    t.enu('previous_status', null, { useNative: true, existingType: true, enumName: 'server_status' });
    t.string('reason', 100).notNullable();
    t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['server_id', 'at'], 'idx_server_status_events_server_at');
  });

  await knex.schema.createTable('server_metrics', (t) => {
    t.uuid('server_id').notNullable().references('servers.id').onDelete('CASCADE');
    t.timestamp('ts', { useTz: true }).notNullable();
    t.float('cpu_percent').notNullable();
    t.float('memory_used_mb').notNullable();
    t.float('disk_used_gb').notNullable();
    t.float('load_1').notNullable();
    t.float('load_5').notNullable();
    t.float('load_15').notNullable();
    t.primary(['server_id', 'ts']);
  });

  await knex.schema.createTable('agent_commands', (t) => {
    // Also the frame's request_id, so the agent can recognise a redelivery.
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('server_id').notNullable().references('servers.id').onDelete('CASCADE');
    t.string('type', 20).notNullable();
    t.string('name', 64);
    t.jsonb('payload').notNullable();
    t.string('status', 20).notNullable().defaultTo('pending');
    t.integer('delivery_count').notNullable().defaultTo(0);
    t.boolean('ok');
    t.jsonb('data');
    t.jsonb('error');
    t.uuid('created_by').references('users.id').onDelete('SET NULL');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('delivered_at', { useTz: true });
    t.timestamp('answered_at', { useTz: true });
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.index(['server_id', 'status'], 'idx_agent_commands_server_status');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('agent_commands');
  await knex.schema.dropTable('server_metrics');
  await knex.schema.dropTable('server_status_events');
  await knex.schema.alterTable('servers', (t) => {
    t.dropColumn('is_local');
    t.dropColumn('telemetry_acked_seq');
    t.dropColumn('agent_id');
  });
}
