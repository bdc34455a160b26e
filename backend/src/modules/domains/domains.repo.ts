import type { Knex } from 'knex';
import { overlapTerms } from './domain-names.js';
import type { DomainClaimRow } from './domains.tables.js';

export type { DomainClaimRow };

/** Serialises claim writes: a wildcard overlap is not something a unique index can refuse. */
const CLAIM_LOCK_KEY = 0x5d0a1a;

export class DomainsRepo {
  constructor(private readonly db: Knex) {}

  async lock(trx: Knex.Transaction) {
    await trx.raw('SELECT pg_advisory_xact_lock(?)', [CLAIM_LOCK_KEY]);
  }

  /** Active claims of other organisations overlapping `hostname` (exact, a wildcard above it, or below it). */
  async foreignActive(orgId: string, hostname: string, trx?: Knex): Promise<DomainClaimRow[]> {
    const { exact, under } = overlapTerms(hostname);
    return (await (trx ?? this.db)('domain_claims')
      .where({ active: true })
      .whereNot({ org_id: orgId })
      .where((q) => {
        void q.whereIn('hostname', exact);
        if (under) void q.orWhere('hostname', 'like', under);
      })
      .orderBy('hostname')) as DomainClaimRow[];
  }

  /** Claims `hostnames` for the organisation as active (a contending claim of its own becomes active). */
  async upsertActive(trx: Knex.Transaction, orgId: string, claims: Array<{ hostname: string; verification_token: string }>) {
    if (!claims.length) return;
    await trx('domain_claims')
      .insert(claims.map((c) => ({ ...c, org_id: orgId, active: true })))
      .onConflict(['org_id', 'hostname'])
      .merge({ active: true });
  }

  async insert(trx: Knex.Transaction, row: { org_id: string; hostname: string; active: boolean; verification_token: string }): Promise<DomainClaimRow> {
    const [created] = (await trx('domain_claims').insert(row).returning('*')) as DomainClaimRow[];
    return created!;
  }

  async findByName(orgId: string, hostname: string, trx?: Knex): Promise<DomainClaimRow | undefined> {
    return (await (trx ?? this.db)('domain_claims').where({ org_id: orgId, hostname }).first()) as DomainClaimRow | undefined;
  }

  async listForOrg(orgId: string): Promise<DomainClaimRow[]> {
    return (await this.db('domain_claims').where({ org_id: orgId }).orderBy('hostname')) as DomainClaimRow[];
  }

  async find(id: string, trx?: Knex): Promise<DomainClaimRow | undefined> {
    return (await (trx ?? this.db)('domain_claims').where({ id }).first()) as DomainClaimRow | undefined;
  }

  async orgIdOf(id: string): Promise<string | null> {
    return ((await this.db('domain_claims').where({ id }).first('org_id')) as { org_id: string } | undefined)?.org_id ?? null;
  }

  /** Services of the organisation using each hostname. */
  async usage(orgId: string, hostnames: readonly string[], trx?: Knex): Promise<Array<{ hostname: string; service_id: string; name: string }>> {
    if (!hostnames.length) return [];
    return (await (trx ?? this.db)('service_domains as sd')
      .join('services as s', 's.id', 'sd.service_id')
      .join('projects as p', 'p.id', 's.project_id')
      .where('p.org_id', orgId)
      .whereIn('sd.hostname', hostnames as string[])
      .orderBy('s.name')
      .select('sd.hostname', 's.id as service_id', 's.name')) as Array<{ hostname: string; service_id: string; name: string }>;
  }

  async markChecked(id: string, verified: boolean, error: string | null, trx?: Knex) {
    const now = new Date();
    await (trx ?? this.db)('domain_claims')
      .where({ id })
      .update({ last_checked_at: now, last_error: error, ...(verified ? { verified_at: now } : {}) });
  }

  async activate(trx: Knex.Transaction, id: string) {
    await trx('domain_claims').where({ id }).update({ active: true });
  }

  /**
   * A taken-over claim: gone, and the losing organisation's services stop carrying the name. This
   * writes the services module's tables from here because the claim decides who may hold the name;
   * the services module asks this one before every write of its own.
   */
  async dropTakenOver(trx: Knex.Transaction, claim: DomainClaimRow) {
    const users = await this.usage(claim.org_id, [claim.hostname], trx);
    for (const u of users) {
      await trx('service_domains').where({ service_id: u.service_id, hostname: claim.hostname }).delete();
      const service = (await trx('services').where({ id: u.service_id }).first('domains')) as { domains: string[] | null };
      const rest = (service.domains ?? []).filter((h) => h !== claim.hostname);
      await trx('services').where({ id: u.service_id }).update({ domains: JSON.stringify(rest), updated_at: new Date() });
    }
    await trx('domain_claims').where({ id: claim.id }).delete();
    return users;
  }

  async delete(id: string) {
    await this.db('domain_claims').where({ id }).delete();
  }
}
