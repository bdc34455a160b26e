import type { Knex } from 'knex';

/**
 * Domains are claimed per organisation: a hostname (or wildcard) belongs to the first organisation
 * that used it, for every service of that organisation, until it releases it. Ownership is proved by
 * a DNS TXT record (`_syntra-challenge.<domain>` = `syntra-verification=<token>`); `verified_at`
 * records when it last was. Existing service domains become claims of their organisation.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('domain_claims', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('org_id').notNullable().references('organizations.id').onDelete('CASCADE');
    // Unique across the installation: one organisation per hostname.
    t.string('hostname', 253).notNullable().unique();
    t.string('verification_token', 64).notNullable();
    t.timestamp('verified_at', { useTz: true });
    t.timestamp('last_checked_at', { useTz: true });
    t.string('last_error', 500);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['org_id']);
  });
  await knex.raw(`
    INSERT INTO domain_claims (org_id, hostname, verification_token)
    SELECT DISTINCT ON (sd.hostname) p.org_id, sd.hostname, replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', '')
    FROM service_domains sd JOIN services s ON s.id = sd.service_id JOIN projects p ON p.id = s.project_id
    ORDER BY sd.hostname, sd.created_at
    ON CONFLICT (hostname) DO NOTHING`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('domain_claims');
}
