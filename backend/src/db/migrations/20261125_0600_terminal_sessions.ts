import type { Knex } from 'knex';

/**
 * Terminal sessions: the audit record of who opened a shell where, when it ended and how many
 * bytes went each way, plus the secret (hashed) the console resumes with.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('terminal_sessions', (t) => {
    t.uuid('id').primary();
    t.uuid('org_id').notNullable().references('organizations.id').onDelete('CASCADE');
    // The record outlives the server and the user: it is an audit trail.
    t.uuid('server_id').references('servers.id').onDelete('SET NULL');
    t.string('server_name', 200).notNullable();
    t.uuid('user_id').references('users.id').onDelete('SET NULL');
    t.jsonb('target').notNullable();
    t.integer('cols').notNullable();
    t.integer('rows').notNullable();
    t.string('status', 20).notNullable().defaultTo('pending');
    t.string('ticket_hash', 64).notNullable();
    t.boolean('recorded').notNullable().defaultTo(false);
    t.bigInteger('bytes_in').notNullable().defaultTo(0);
    t.bigInteger('bytes_out').notNullable().defaultTo(0);
    t.integer('exit_code');
    t.string('exit_signal', 20);
    t.string('ip', 45);
    t.timestamp('started_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('ended_at', { useTz: true });
    t.index(['org_id', 'started_at'], 'idx_terminal_sessions_org_started');
    t.index(['server_id', 'status'], 'idx_terminal_sessions_server_status');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('terminal_sessions');
}
