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
    return (trx ?? this.db)('domain_claims')
      .where({ active: true })
      .whereNot({ org_id: orgId })
      .where((q) => {
        void q.whereIn('hostname', exact);
        if (under) void q.orWhere('hostname', 'like', under);
      })
      .orderBy('hostname');
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
    const [created] = await trx('domain_claims').insert(row).returning('*');
    return created!;
  }

  async findByName(orgId: string, hostname: string, trx?: Knex): Promise<DomainClaimRow | undefined> {
    return (trx ?? this.db)('domain_claims').where({ org_id: orgId, hostname }).first();
  }

  async listForOrg(orgId: string): Promise<DomainClaimRow[]> {
    return this.db('domain_claims').where({ org_id: orgId }).orderBy('hostname');
  }

  async find(id: string, trx?: Knex): Promise<DomainClaimRow | undefined> {
    return (trx ?? this.db)('domain_claims').where({ id }).first();
  }

  async orgIdOf(id: string): Promise<string | null> {
    return ((await this.db('domain_claims').where({ id }).first('org_id')) as { org_id: string } | undefined)?.org_id ?? null;
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

  async delete(id: string, trx?: Knex) {
    await (trx ?? this.db)('domain_claims').where({ id }).delete();
  }
}
