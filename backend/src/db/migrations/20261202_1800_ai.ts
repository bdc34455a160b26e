import type { Knex } from 'knex';

/**
 * AI (issue 15): co-pilot conversations (per user, in one organisation) with their messages, the
 * actions the model proposed (run only once a person approves), each model request's token usage
 * (the monthly budget is summed from it) and per-organisation settings.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('ai_conversations', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('org_id').notNullable().references('organizations.id').onDelete('CASCADE');
    t.uuid('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.string('title', 200).notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['org_id', 'user_id', 'updated_at']);
  });
  await knex.schema.createTable('ai_messages', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('conversation_id').notNullable().references('ai_conversations.id').onDelete('CASCADE');
    t.string('role', 16).notNullable();
    // The Messages API content blocks (text, tool_use, tool_result), replayed as the history.
    t.jsonb('blocks').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['conversation_id', 'created_at']);
  });
  await knex.schema.createTable('ai_proposals', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('conversation_id').notNullable().references('ai_conversations.id').onDelete('CASCADE');
    t.uuid('org_id').notNullable().references('organizations.id').onDelete('CASCADE');
    t.uuid('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.string('action', 32).notNullable();
    t.jsonb('args').notNullable();
    t.string('summary', 500).notNullable();
    t.string('status', 16).notNullable().defaultTo('pending');
    t.jsonb('result');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('decided_at', { useTz: true });
    t.index(['conversation_id']);
  });
  await knex.schema.createTable('ai_usage', (t) => {
    t.bigIncrements('id');
    t.uuid('org_id').notNullable().references('organizations.id').onDelete('CASCADE');
    t.uuid('user_id').references('users.id').onDelete('SET NULL');
    t.string('kind', 32).notNullable();
    t.string('model', 200).notNullable();
    t.integer('input_tokens').notNullable();
    t.integer('output_tokens').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['org_id', 'created_at']);
  });
  await knex.schema.createTable('ai_org_settings', (t) => {
    t.uuid('org_id').primary().references('organizations.id').onDelete('CASCADE');
    // null: the installation's SYNTRA_AI_MONTHLY_TOKENS.
    t.integer('monthly_token_budget');
    t.boolean('auto_analyze').notNullable().defaultTo(false);
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['ai_org_settings', 'ai_usage', 'ai_proposals', 'ai_messages', 'ai_conversations']) {
    await knex.schema.dropTableIfExists(table);
  }
}
