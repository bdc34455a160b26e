import type { Knex } from 'knex';
import type { ApiTokenRow } from './tokens.tables.js';

export class TokensRepo {
  constructor(private readonly db: Knex) {}

  /** Newest first; `orgId` narrows to the tokens bound to that organisation. */
  listOfUser(userId: string, orgId: string | null): Promise<ApiTokenRow[]> {
    const q = this.db('api_tokens').where({ user_id: userId }).orderBy('created_at', 'desc');
    if (orgId) void q.where({ org_id: orgId });
    return q;
  }

  async insert(token: Pick<ApiTokenRow, 'user_id' | 'org_id' | 'name' | 'token_hash' | 'token_prefix' | 'scopes' | 'expires_at' | 'parent_id'>): Promise<ApiTokenRow> {
    const [row] = await this.db('api_tokens').insert(token).returning('*');
    return row!;
  }

  find(id: string): Promise<ApiTokenRow | undefined> {
    return this.db('api_tokens').where({ id }).first();
  }

  findOfUser(id: string, userId: string): Promise<ApiTokenRow | undefined> {
    return this.db('api_tokens').where({ id, user_id: userId }).first();
  }

  /** How many tokens descend from this one (minted by it, by those, …). */
  async descendantCount(id: string): Promise<number> {
    const minted = await this.db.raw(
      `WITH RECURSIVE t AS (SELECT id FROM api_tokens WHERE parent_id = ? UNION ALL SELECT a.id FROM api_tokens a JOIN t ON a.parent_id = t.id) SELECT count(*)::int AS n FROM t`,
      [id],
    );
    return (minted.rows[0] as { n: number }).n;
  }

  /** Its descendants go with it: the parent_id foreign key cascades. */
  async delete(id: string): Promise<void> {
    await this.db('api_tokens').where({ id }).delete();
  }
}
