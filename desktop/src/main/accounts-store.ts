import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { type Account, type AccountsState, AccountsStateSchema } from '../shared/ipc.js';
import { writeFileAtomic } from './atomic-file.js';

/** The control planes (accounts) this app knows, and which one is active. Tokens live in TokenStore. */
export class AccountsStore {
  private readonly file: string;

  constructor(dir: string) {
    this.file = path.join(dir, 'accounts.json');
  }

  /** Stable id per (control plane, email): signing in again updates the same account. */
  static idOf(baseUrl: string, email: string): string {
    return createHash('sha256').update(`${new URL(baseUrl).origin}\n${email.toLowerCase()}`).digest('hex').slice(0, 16);
  }

  read(): AccountsState {
    try {
      return AccountsStateSchema.parse(JSON.parse(fs.readFileSync(this.file, 'utf8')));
    } catch {
      return { accounts: [], active_id: null };
    }
  }

  private write(state: AccountsState): AccountsState {
    writeFileAtomic(this.file, JSON.stringify(state, null, 2), 0o600);
    return state;
  }

  upsert(account: Account): AccountsState {
    const state = this.read();
    const accounts = state.accounts.filter((a) => a.id !== account.id);
    accounts.push(account);
    return this.write({ accounts, active_id: account.id });
  }

  activate(id: string): AccountsState {
    const state = this.read();
    if (!state.accounts.some((a) => a.id === id)) throw new Error('unknown account');
    return this.write({ ...state, active_id: id });
  }

  remove(id: string): AccountsState {
    const state = this.read();
    const accounts = state.accounts.filter((a) => a.id !== id);
    const active_id = state.active_id === id ? (accounts[0]?.id ?? null) : state.active_id;
    return this.write({ accounts, active_id });
  }

  active(): Account | null {
    const state = this.read();
    return state.accounts.find((a) => a.id === state.active_id) ?? null;
  }
}
