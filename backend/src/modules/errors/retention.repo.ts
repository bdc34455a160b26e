import type { Knex } from 'knex';

export class RetentionRepo {
  constructor(private readonly db: Knex) {}

  /** The organisations that have issues, with their retention (null: the default). */
  async orgs(): Promise<Array<{ org_id: string; retention_days: number | null }>> {
    const rows = await this.db
      .select('g.org_id', 'r.retention_days')
      .from(this.db('error_groups').distinct('org_id').as('g'))
      .leftJoin('error_retention as r', 'r.org_id', 'g.org_id');
    return rows as Array<{ org_id: string; retention_days: number | null }>;
  }

  async days(orgId: string): Promise<number | null> {
    const row = await this.db('error_retention').where({ org_id: orgId }).first('retention_days');
    return row?.retention_days ?? null;
  }

  async setDays(orgId: string, days: number): Promise<void> {
    await this.db('error_retention').insert({ org_id: orgId, retention_days: days }).onConflict('org_id').merge({ retention_days: days });
  }

  async markPruned(orgId: string, at: Date): Promise<void> {
    await this.db('error_retention').insert({ org_id: orgId, last_pruned_at: at }).onConflict('org_id').merge({ last_pruned_at: at });
  }

  /** Issues not seen since `before` have no events left: they go too (their users and counts cascade). */
  async dropStaleIssues(orgId: string, before: Date): Promise<number> {
    return this.db('error_groups').where({ org_id: orgId }).where('last_seen_at', '<', before).delete();
  }
}
