import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM for secrets at rest. Every seal uses a fresh 96-bit nonce; the sealed string carries
 * the id of the key that sealed it (`v1.<kid>.<nonce>.<tag>.<ciphertext>`, base64url parts), so
 * old keys can stay in the ring for reading while new writes use the current key.
 */
export class SecretBox {
  private readonly keys = new Map<string, Buffer>();
  readonly currentKeyId: string;

  /** `current` and `previous` are 32-byte keys as 64 hex characters or base64. */
  constructor(current: string, previous: readonly string[] = []) {
    const parsed = [current, ...previous].map(parseKey);
    for (const key of parsed) this.keys.set(keyId(key), key);
    this.currentKeyId = keyId(parsed[0]!);
  }

  seal(plaintext: string): string {
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.currentKeyId)!, nonce);
    cipher.setAAD(Buffer.from(this.currentKeyId));
    const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return ['v1', this.currentKeyId, nonce.toString('base64url'), cipher.getAuthTag().toString('base64url'), ct.toString('base64url')].join('.');
  }

  open(sealed: string): string {
    const [version, kid, nonce, tag, ct] = sealed.split('.');
    if (version !== 'v1' || !kid || nonce === undefined || tag === undefined || ct === undefined) throw new Error('not a sealed secret');
    const key = this.keys.get(kid);
    if (!key) throw new Error(`secret sealed with unknown key ${kid}`);
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(nonce, 'base64url'));
    decipher.setAAD(Buffer.from(kid));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
  }

  sealJson(value: unknown): string {
    return this.seal(JSON.stringify(value));
  }

  openJson<T>(sealed: string): T {
    return JSON.parse(this.open(sealed)) as T;
  }
}

function parseKey(key: string): Buffer {
  const buf = /^[0-9a-fA-F]{64}$/.test(key) ? Buffer.from(key, 'hex') : Buffer.from(key, 'base64');
  if (buf.length !== 32) throw new Error('secret key must be 32 bytes');
  return buf;
}

/** A short public fingerprint of a key (never the key itself). */
function keyId(key: Buffer): string {
  return createHash('sha256').update('syntra-secret-key-id').update(key).digest('hex').slice(0, 12);
}
