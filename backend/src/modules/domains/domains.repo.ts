import type { Knex } from 'knex';
import { overlapTerms } from './domain-names.js';

export interface DomainClaimRow {
  id: string;
  org_id: string;
  hostname: string;
  verification_token: string;
  verified_at: Date | null;
  last_checked_at: Date | null;
  last_error: string | null;
  created_at: Date;
}

/** Serialises claim writes: a wildcard overlap is not something a unique index can refuse. */
const CLAIM_LOCK_KEY = 0x5d0a1a;

export class DomainsRepo {
  constructor(private readonly db: Knex) {}

  async lock(trx: Knex.Transaction) {
    await trx.raw('SELECT pg_advisory_xact_lock(?)', [CLAIM_LOCK_KEY]);
  }

  /** A claim of another organisation that overlaps one of `hostnames`, with the name that hit it. */
  async foreignOverlap(orgId: string, hostnames: readonly string[], trx?: Knex): Promise<{ requested: string; claimed: string } | null> {
    for (const requested of hostnames) {
      const { exact, under } = overlapTerms(requested);
      const row = await (trx ?? this.db)('domain_claims')
        .whereNot({ org_id: orgId })
        .where((q) => {
          void q.whereIn('hostname', exact);
          if (under) void q.orWhere('hostname', 'like', under);
        })
        .first<{ hostname: string } | undefined>('hostname');
      if (row) return { requested, claimed: row.hostname };
    }
    return null;
  }

  async insertMissing(trx: Knex.Transaction, orgId: string, claims: Array<{ hostname: string; verification_token: string }>) {
    if (!claims.length) return;
    await trx('domain_claims').insert(claims.map((c) => ({ ...c, org_id: orgId }))).onConflict('hostname').ignore();
  }

  async listForOrg(orgId: string): Promise<DomainClaimRow[]> {
    return (await this.db('domain_claims').where({ org_id: orgId }).orderBy('hostname')) as DomainClaimRow[];
  }

  async find(id: string): Promise<DomainClaimRow | undefined> {
    return (await this.db('domain_claims').where({ id }).first()) as DomainClaimRow | undefined;
  }

  async orgIdOf(id: string): Promise<string | null> {
    return ((await this.db('domain_claims').where({ id }).first('org_id')) as { org_id: string } | undefined)?.org_id ?? null;
  }

  /** Services of the organisation using each hostname. */
  async usage(orgId: string, hostnames: readonly string[]): Promise<Array<{ hostname: string; service_id: string; name: string }>> {
    if (!hostnames.length) return [];
    return (await this.db('service_domains as sd')
      .join('services as s', 's.id', 'sd.service_id')
      .join('projects as p', 'p.id', 's.project_id')
      .where('p.org_id', orgId)
      .whereIn('sd.hostname', hostnames as string[])
      .orderBy('s.name')
      .select('sd.hostname', 's.id as service_id', 's.name')) as Array<{ hostname: string; service_id: string; name: string }>;
  }

  async markChecked(id: string, verified: boolean, error: string | null) {
    const now = new Date();
    await this.db('domain_claims')
      .where({ id })
      .update({ last_checked_at: now, last_error: error, ...(verified ? { verified_at: now } : {}) });
  }

  async delete(id: string) {
    await this.db('domain_claims').where({ id }).delete();
  }
}
