import type { Knex } from 'knex';
import type { SignupMode } from '@syntra/shared';
import { SignupRefusedError } from '../../errors.js';
import { accountsExist } from './auth.repo.js';

/** Any constant: serialises "is this the first account?" across concurrent registrations and api nodes. */
const FIRST_ACCOUNT_LOCK = 0x5379_6e01;

export type SignupDecision =
  /** No account exists: this one becomes the installation admin (its organisation is the oldest, the admin org). */
  | { kind: 'first' }
  /** Joins the inviting organisation only: users land in the team that invited them, as on Coolify/Dokploy. */
  | { kind: 'invite' }
  /** Open sign-up without an invite: a personal organisation. */
  | { kind: 'open' };

/**
 * SYNTRA_SIGNUP decides who may create an account once the first exists. Runs inside the
 * registering transaction, holding an advisory lock until it commits, so two simultaneous first
 * registrations cannot both become the admin.
 */
export class SignupPolicy {
  constructor(readonly mode: SignupMode) {}

  async decide(trx: Knex.Transaction, invited: boolean): Promise<SignupDecision> {
    await trx.raw('SELECT pg_advisory_xact_lock(?)', [FIRST_ACCOUNT_LOCK]);
    if (!(await this.hasAccounts(trx))) return { kind: 'first' };
    if (this.mode === 'closed') {
      throw new SignupRefusedError('SIGNUP_CLOSED', 'Registration is closed on this installation; ask its administrator to add you to an organisation');
    }
    if (invited) return { kind: 'invite' };
    if (this.mode === 'invite') {
      throw new SignupRefusedError('INVITE_REQUIRED', 'Registration on this installation needs an invite: ask an organisation owner or admin for an invite link');
    }
    return { kind: 'open' };
  }

  hasAccounts(db: Knex | Knex.Transaction): Promise<boolean> {
    return accountsExist(db);
  }
}
