import type { Knex } from 'knex';

export class RetentionRepo {
  constructor(private readonly db: Knex) {}

  /** The organisations that have issues, with their retention (null: the default). */
  async orgs(): Promise<Array<{ org_id: string; retention_days: number | null }>> {
    const rows = await this.db
      .select('g.org_id', this.db.raw('CASE WHEN r.chosen THEN r.retention_days END AS retention_days'))
      .from(this.db('error_groups').distinct('org_id').as('g'))
      .leftJoin('error_retention as r', 'r.org_id', 'g.org_id');
    return rows as Array<{ org_id: string; retention_days: number | null }>;
  }

  async find(orgId: string) {
    return this.db('error_retention').where({ org_id: orgId }).first();
  }

  async setDays(orgId: string, days: number) {
    const [row] = await this.db('error_retention').insert({ org_id: orgId, retention_days: days, chosen: true }).onConflict('org_id').merge({ retention_days: days, chosen: true }).returning('*');
    return row!;
  }

  /** Records a prune; an organisation that never chose keeps the default (`chosen` false). */
  async markPruned(orgId: string, at: Date, defaultDays: number): Promise<void> {
    await this.db('error_retention').insert({ org_id: orgId, last_pruned_at: at, retention_days: defaultDays }).onConflict('org_id').merge({ last_pruned_at: at });
  }

  /** Issues not seen since `before` have no events left: they go too (their users and counts cascade). */
  async dropStaleIssues(orgId: string, before: Date): Promise<number> {
    return this.db('error_groups').where({ org_id: orgId }).where('last_seen_at', '<', before).delete();
  }
}
