import type { Knex } from 'knex';

/** The seed schema (users → health checks, api tokens) plus sessions, invites, audit log and OAuth links. */

const ENUMS: Record<string, string[]> = {
  user_plan: ['free', 'pro', 'team', 'enterprise'],
  org_role: ['owner', 'admin', 'developer', 'viewer'],
  server_status: ['online', 'offline', 'updating', 'error'],
  server_runtime: ['docker', 'kubernetes', 'process'],
  service_type: ['app', 'database', 'worker', 'cron'],
  source_type: ['dockerfile', 'nixpacks', 'image', 'docker_compose', 'auto'],
  deployment_status: ['queued', 'building', 'pushing', 'deploying', 'running', 'failed', 'rolled_back', 'cancelled'],
  trigger_type: ['manual', 'git_push', 'workflow', 'rollback', 'api', 'schedule'],
  issue_status: ['unresolved', 'resolved', 'ignored', 'regressed'],
  issue_severity: ['critical', 'high', 'medium', 'low'],
};

function enumCol(t: Knex.CreateTableBuilder, column: string, type: keyof typeof ENUMS) {
  return t.enu(column, null, { useNative: true, existingType: true, enumName: type });
}

function timestamps(t: Knex.CreateTableBuilder, knex: Knex) {
  t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
}

export async function up(knex: Knex): Promise<void> {
  for (const [name, values] of Object.entries(ENUMS)) {
    // DDL takes no bind parameters; the values are the constants above.
    const literals = values.map((v) => `'${v}'`).join(', ');
    await knex.raw(`CREATE TYPE ?? AS ENUM (${literals})`, [name]);
  }
  const uuidPk = (t: Knex.CreateTableBuilder) => t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));

  await knex.schema.createTable('users', (t) => {
    uuidPk(t);
    t.string('email', 255).notNullable().unique();
    t.string('name', 255);
    t.text('avatar_url');
    t.text('password_hash');
    enumCol(t, 'plan', 'user_plan').defaultTo('free');
    t.string('stripe_customer_id', 255);
    t.timestamp('email_verified_at', { useTz: true });
    timestamps(t, knex);
  });

  await knex.schema.createTable('organizations', (t) => {
    uuidPk(t);
    t.string('name', 255).notNullable();
    t.string('slug', 100).notNullable().unique();
    t.uuid('owner_id').notNullable().references('users.id').onDelete('CASCADE');
    enumCol(t, 'plan', 'user_plan').defaultTo('free');
    t.string('stripe_subscription_id', 255);
    t.jsonb('settings').notNullable().defaultTo('{}');
    timestamps(t, knex);
  });

  await knex.schema.createTable('org_members', (t) => {
    t.uuid('org_id').notNullable().references('organizations.id').onDelete('CASCADE');
    t.uuid('user_id').notNullable().references('users.id').onDelete('CASCADE');
    enumCol(t, 'role', 'org_role').notNullable().defaultTo('developer');
    t.uuid('invited_by').references('users.id').onDelete('SET NULL');
    t.timestamp('invited_at', { useTz: true }).defaultTo(knex.fn.now());
    t.timestamp('accepted_at', { useTz: true });
    t.primary(['org_id', 'user_id']);
    t.index(['user_id']);
  });

  await knex.schema.createTable('servers', (t) => {
    uuidPk(t);
    t.uuid('org_id').notNullable().references('organizations.id').onDelete('CASCADE');
    t.string('name', 255).notNullable();
    t.string('hostname', 255);
    t.specificType('public_ip', 'inet');
    t.specificType('private_ip', 'inet');
    enumCol(t, 'runtime', 'server_runtime').defaultTo('docker');
    t.string('runtime_version', 50);
    enumCol(t, 'status', 'server_status').defaultTo('offline');
    t.string('agent_version', 20);
    t.string('agent_token_hash', 64).notNullable();
    t.string('os_name', 50);
    t.string('os_version', 50);
    t.string('arch', 20);
    t.integer('cpu_cores');
    t.integer('memory_mb');
    t.integer('disk_gb');
    t.timestamp('last_heartbeat_at', { useTz: true });
    t.specificType('tags', 'text[]').defaultTo('{}');
    timestamps(t, knex);
    t.index(['org_id'], 'idx_servers_org');
    t.index(['status'], 'idx_servers_status');
    t.index(['agent_token_hash'], 'idx_servers_agent_token');
  });

  await knex.schema.createTable('projects', (t) => {
    uuidPk(t);
    t.uuid('org_id').notNullable().references('organizations.id').onDelete('CASCADE');
    t.string('name', 255).notNullable();
    t.string('slug', 100).notNullable();
    t.text('description');
    t.text('git_repo_url');
    t.string('git_branch', 255).defaultTo('main');
    t.string('git_provider', 50);
    t.string('git_installation_id', 100);
    timestamps(t, knex);
    t.index(['org_id'], 'idx_projects_org');
    t.unique(['org_id', 'slug'], { indexName: 'idx_projects_org_slug' });
  });

  await knex.schema.createTable('services', (t) => {
    uuidPk(t);
    t.uuid('project_id').notNullable().references('projects.id').onDelete('CASCADE');
    t.uuid('server_id').notNullable().references('servers.id').onDelete('CASCADE');
    t.string('name', 255).notNullable();
    enumCol(t, 'type', 'service_type').defaultTo('app');
    enumCol(t, 'source_type', 'source_type').notNullable();
    t.string('dockerfile_path', 500).defaultTo('./Dockerfile');
    t.string('build_context', 500).defaultTo('.');
    t.string('image_name', 500);
    t.string('image_tag', 255);
    t.integer('port');
    t.integer('replicas').defaultTo(1);
    t.string('cpu_limit', 20);
    t.string('memory_limit', 20);
    t.text('env_vars_encrypted');
    t.jsonb('domains').defaultTo('[]');
    t.string('health_check_path', 255);
    t.integer('health_check_interval').defaultTo(30);
    t.integer('health_check_timeout').defaultTo(5);
    t.integer('health_check_retries').defaultTo(3);
    t.boolean('auto_deploy').defaultTo(true);
    t.uuid('current_deployment_id');
    timestamps(t, knex);
    t.index(['project_id'], 'idx_services_project');
    t.index(['server_id'], 'idx_services_server');
  });

  await knex.schema.createTable('deployments', (t) => {
    uuidPk(t);
    t.uuid('service_id').notNullable().references('services.id').onDelete('CASCADE');
    enumCol(t, 'status', 'deployment_status').defaultTo('queued');
    t.string('git_commit_sha', 40);
    t.text('git_commit_message');
    t.string('git_branch', 255);
    t.string('image_digest', 100);
    t.integer('build_duration_ms');
    t.integer('deploy_duration_ms');
    t.text('build_logs');
    t.uuid('triggered_by').references('users.id').onDelete('SET NULL');
    enumCol(t, 'trigger_type', 'trigger_type').defaultTo('manual');
    t.text('error_message');
    t.uuid('rollback_from_id');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('started_at', { useTz: true });
    t.timestamp('finished_at', { useTz: true });
    t.index(['service_id'], 'idx_deployments_service');
    t.index(['status'], 'idx_deployments_status');
    t.index(['created_at'], 'idx_deployments_created');
  });

  await knex.schema.createTable('error_groups', (t) => {
    uuidPk(t);
    t.uuid('service_id').notNullable().references('services.id').onDelete('CASCADE');
    t.string('fingerprint', 64).notNullable();
    t.text('title').notNullable();
    t.string('exception_type', 255);
    enumCol(t, 'status', 'issue_status').defaultTo('unresolved');
    enumCol(t, 'severity', 'issue_severity').defaultTo('medium');
    t.timestamp('first_seen_at', { useTz: true }).notNullable();
    t.timestamp('last_seen_at', { useTz: true }).notNullable();
    t.bigInteger('event_count').defaultTo(1);
    t.integer('user_count').defaultTo(0);
    t.uuid('assigned_to').references('users.id').onDelete('SET NULL');
    t.jsonb('ai_analysis');
    t.timestamp('ai_analyzed_at', { useTz: true });
    t.timestamp('resolved_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['service_id'], 'idx_error_groups_service');
    t.index(['status'], 'idx_error_groups_status');
    t.index(['last_seen_at'], 'idx_error_groups_last_seen');
    t.unique(['service_id', 'fingerprint'], { indexName: 'idx_error_groups_service_fingerprint' });
  });

  await knex.schema.createTable('error_events', (t) => {
    uuidPk(t);
    t.uuid('error_group_id').notNullable().references('error_groups.id').onDelete('CASCADE');
    t.uuid('deployment_id').references('deployments.id').onDelete('SET NULL');
    t.jsonb('stack_trace').notNullable();
    t.jsonb('breadcrumbs');
    t.jsonb('context');
    t.string('environment', 50);
    t.string('release', 100);
    t.string('user_id_hash', 64);
    t.timestamp('timestamp', { useTz: true }).notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['error_group_id'], 'idx_error_events_group');
    t.index(['timestamp'], 'idx_error_events_timestamp');
  });

  await knex.schema.createTable('health_checks', (t) => {
    t.bigIncrements('id').primary();
    t.uuid('service_id').notNullable().references('services.id').onDelete('CASCADE');
    t.integer('status_code');
    t.integer('response_time_ms').notNullable();
    t.boolean('is_healthy').notNullable();
    t.text('error_message');
    t.timestamp('checked_at', { useTz: true }).defaultTo(knex.fn.now());
    t.index(['service_id', 'checked_at'], 'idx_health_checks_service');
  });

  await knex.schema.createTable('api_tokens', (t) => {
    uuidPk(t);
    t.uuid('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.uuid('org_id').references('organizations.id').onDelete('CASCADE');
    t.string('name', 255).notNullable();
    t.string('token_hash', 64).notNullable();
    t.string('token_prefix', 20).notNullable();
    t.specificType('scopes', 'text[]').defaultTo('{}');
    t.timestamp('last_used_at', { useTz: true });
    t.timestamp('expires_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['token_hash'], 'idx_api_tokens_hash');
  });

  await knex.schema.createTable('sessions', (t) => {
    uuidPk(t);
    t.uuid('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.string('token_hash', 64).notNullable().unique();
    t.string('ip', 64);
    t.text('user_agent');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('last_used_at', { useTz: true });
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('revoked_at', { useTz: true });
    t.index(['user_id']);
  });

  await knex.schema.createTable('invites', (t) => {
    uuidPk(t);
    t.uuid('org_id').notNullable().references('organizations.id').onDelete('CASCADE');
    t.string('email', 255).notNullable();
    enumCol(t, 'role', 'org_role').notNullable();
    t.string('token_hash', 64).notNullable().unique();
    t.uuid('invited_by').references('users.id').onDelete('SET NULL');
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('accepted_at', { useTz: true });
    t.uuid('accepted_by').references('users.id').onDelete('SET NULL');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['org_id']);
  });

  await knex.schema.createTable('oauth_accounts', (t) => {
    t.string('provider', 20).notNullable();
    t.string('provider_user_id', 100).notNullable();
    t.uuid('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.string('email', 255);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['provider', 'provider_user_id']);
  });

  await knex.schema.createTable('audit_log', (t) => {
    uuidPk(t);
    t.uuid('org_id').references('organizations.id').onDelete('CASCADE');
    t.uuid('actor_id').references('users.id').onDelete('SET NULL');
    t.string('action', 100).notNullable();
    t.string('target_type', 50);
    t.string('target_id', 100);
    t.string('ip', 64);
    t.text('user_agent');
    t.jsonb('metadata').notNullable().defaultTo('{}');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['org_id', 'created_at']);
    t.index(['actor_id', 'created_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  const tables = [
    'audit_log', 'oauth_accounts', 'invites', 'sessions', 'api_tokens', 'health_checks', 'error_events',
    'error_groups', 'deployments', 'services', 'projects', 'servers', 'org_members', 'organizations', 'users',
  ];
  for (const table of tables) await knex.schema.dropTableIfExists(table);
  for (const name of Object.keys(ENUMS).reverse()) await knex.raw('DROP TYPE IF EXISTS ??', [name]);
}
