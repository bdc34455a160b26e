import type { Knex } from 'knex';
import type { UserRow } from './auth.tables.js';

type Db = Knex | Knex.Transaction;

/** Whether any account exists yet (the first one becomes the installation admin); inside `db`'s transaction when it is one. */
export async function accountsExist(db: Db): Promise<boolean> {
  return Boolean(await db('users').first('id'));
}

/** A live credential with its owner's email, as authentication needs it. */
export interface SessionCredential {
  id: string;
  user_id: string;
  last_used_at: Date | null;
  email: string;
}

export interface ApiTokenCredential extends SessionCredential {
  org_id: string | null;
  scopes: string[];
}

/** Accounts, sessions and OAuth links. Every method takes the caller's transaction when there is one. */
export class AuthRepo {
  constructor(private readonly db: Knex) {}

  async insertUser(trx: Db, user: Pick<UserRow, 'email' | 'name'> & Partial<Pick<UserRow, 'password_hash' | 'avatar_url' | 'email_verified_at'>>): Promise<UserRow> {
    const [row] = await trx('users').insert(user).returning('*');
    return row!;
  }

  findUser(id: string): Promise<UserRow | undefined> {
    return this.db('users').where({ id }).first();
  }

  userByEmail(email: string): Promise<UserRow | undefined> {
    return this.db('users').where({ email }).first();
  }

  /** Locks the account row (if any) until the transaction ends: two first sign-ins by OAuth cannot both create it. */
  userByEmailForUpdate(trx: Knex.Transaction, email: string): Promise<UserRow | undefined> {
    return trx('users').where({ email }).forUpdate().first();
  }

  async markEmailVerified(trx: Knex.Transaction, userId: string): Promise<void> {
    await trx('users').update({ email_verified_at: new Date() }).where({ id: userId });
  }

  async insertSession(db: Db, session: { user_id: string; token_hash: string; ip: string | null; user_agent: string | null; expires_at: Date }): Promise<void> {
    await db('sessions').insert(session);
  }

  async revokeSession(id: string): Promise<void> {
    await this.db('sessions').update({ revoked_at: new Date() }).where({ id });
  }

  sessionByTokenHash(hash: string, now: Date): Promise<SessionCredential | undefined> {
    return this.db('sessions')
      .join('users', 'users.id', 'sessions.user_id')
      .where('sessions.token_hash', hash)
      .whereNull('sessions.revoked_at')
      .where('sessions.expires_at', '>', now)
      .first('sessions.id', 'sessions.user_id', 'sessions.last_used_at', 'users.email') as Promise<SessionCredential | undefined>;
  }

  async touchSession(id: string, at: Date): Promise<void> {
    await this.db('sessions').update({ last_used_at: at }).where({ id });
  }

  async sessionAlive(id: string, now: Date): Promise<boolean> {
    return Boolean(await this.db('sessions').where({ id }).whereNull('revoked_at').where('expires_at', '>', now).first('id'));
  }

  /*
   * api_tokens belongs to the tokens module, which depends on this one (its prefix, Principal); turning
   * a bearer token into a principal is authentication, so these three reads and the last-used stamp stay
   * here rather than closing a cycle. Tokens are created, listed and revoked only by TokenService.
   */

  apiTokenByHash(hash: string, now: Date): Promise<ApiTokenCredential | undefined> {
    return this.db('api_tokens')
      .join('users', 'users.id', 'api_tokens.user_id')
      .where('api_tokens.token_hash', hash)
      .where((q) => q.whereNull('api_tokens.expires_at').orWhere('api_tokens.expires_at', '>', now))
      .first('api_tokens.id', 'api_tokens.user_id', 'api_tokens.org_id', 'api_tokens.scopes', 'api_tokens.last_used_at', 'users.email') as Promise<ApiTokenCredential | undefined>;
  }

  async touchApiToken(id: string, at: Date): Promise<void> {
    await this.db('api_tokens').update({ last_used_at: at }).where({ id });
  }

  async apiTokenAlive(id: string, now: Date): Promise<boolean> {
    return Boolean(await this.db('api_tokens').where({ id }).where((q) => q.whereNull('expires_at').orWhere('expires_at', '>', now)).first('id'));
  }

  async oauthLinkUserId(provider: string, providerUserId: string): Promise<string | null> {
    const row = await this.db('oauth_accounts').where({ provider, provider_user_id: providerUserId }).first('user_id');
    return row?.user_id ?? null;
  }

  async insertOAuthLink(trx: Knex.Transaction, link: { provider: string; provider_user_id: string; user_id: string; email: string | null }): Promise<void> {
    await trx('oauth_accounts').insert(link);
  }
}
