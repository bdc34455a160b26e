import type { Knex } from 'knex';

/**
 * Domains are claimed per organisation. An `active` claim is the organisation's to use: at most one
 * active claim per hostname across the installation, and none overlapping another organisation's
 * (a wildcard overlap is checked under an advisory lock; no index can say it). An inactive claim
 * contends for a name another organisation holds: proving ownership by DNS TXT
 * (`_syntra-challenge.<domain>` = `syntra-verification=<token>`) takes it over from an unverified
 * holder. Existing service domains become active claims of their organisation.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('domain_claims', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('org_id').notNullable().references('organizations.id').onDelete('CASCADE');
    t.string('hostname', 253).notNullable();
    t.boolean('active').notNullable().defaultTo(true);
    t.string('verification_token', 64).notNullable();
    t.timestamp('verified_at', { useTz: true });
    t.timestamp('last_checked_at', { useTz: true });
    t.string('last_error', 500);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['org_id', 'hostname']);
  });
  await knex.raw('CREATE UNIQUE INDEX domain_claims_active_hostname ON domain_claims (hostname) WHERE active');
  await knex.raw(`
    INSERT INTO domain_claims (org_id, hostname, verification_token)
    SELECT DISTINCT ON (sd.hostname) p.org_id, sd.hostname, replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', '')
    FROM service_domains sd JOIN services s ON s.id = sd.service_id JOIN projects p ON p.id = s.project_id
    ORDER BY sd.hostname, sd.created_at`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('domain_claims');
}
