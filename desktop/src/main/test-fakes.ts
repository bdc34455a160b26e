import type { SecretCipher } from './token-store.js';

/** A stand-in for safeStorage: reversible, and visibly not plain text on disk. */
export function fakeCipher(available = true): SecretCipher & { calls: number } {
  return {
    calls: 0,
    isEncryptionAvailable: () => available,
    encryptString(plain: string) {
      this.calls++;
      return Buffer.from(`enc:${Buffer.from(plain).toString('hex')}`);
    },
    decryptString(encrypted: Buffer) {
      const text = encrypted.toString();
      if (!text.startsWith('enc:')) throw new Error('not ours');
      return Buffer.from(text.slice(4), 'hex').toString();
    },
  };
}
