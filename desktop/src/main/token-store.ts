import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from './atomic-file.js';

/** The part of Electron's `safeStorage` we use; tests pass their own. */
export interface SecretCipher {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

/**
 * Session tokens per account, encrypted with the OS keychain (safeStorage) and written 0600.
 * When the OS offers no encryption the token lives in memory only: the user signs in again next
 * start rather than having a token written in clear text.
 */
export class TokenStore {
  private readonly file: string;
  private memory = new Map<string, string>();

  constructor(
    dir: string,
    private readonly cipher: SecretCipher,
  ) {
    this.file = path.join(dir, 'tokens.json');
  }

  get persistent(): boolean {
    return this.cipher.isEncryptionAvailable();
  }

  private readAll(): Record<string, string> {
    try {
      const parsed: unknown = JSON.parse(fs.readFileSync(this.file, 'utf8'));
      return parsed && typeof parsed === 'object' ? (parsed as Record<string, string>) : {};
    } catch {
      return {};
    }
  }

  set(accountId: string, token: string): void {
    if (!this.persistent) {
      this.memory.set(accountId, token);
      return;
    }
    const all = this.readAll();
    all[accountId] = this.cipher.encryptString(token).toString('base64');
    writeFileAtomic(this.file, JSON.stringify(all), 0o600);
  }

  get(accountId: string): string | null {
    const inMemory = this.memory.get(accountId);
    if (inMemory) return inMemory;
    if (!this.persistent) return null;
    const stored = this.readAll()[accountId];
    if (!stored) return null;
    try {
      return this.cipher.decryptString(Buffer.from(stored, 'base64'));
    } catch {
      return null; // keychain changed (new OS user, reinstall): sign in again
    }
  }

  delete(accountId: string): void {
    this.memory.delete(accountId);
    const all = this.readAll();
    if (!(accountId in all)) return;
    delete all[accountId];
    writeFileAtomic(this.file, JSON.stringify(all), 0o600);
  }
}
