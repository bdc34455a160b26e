/**
 * The client key of an OTLP request (`Authorization: Bearer <public_key>`, or `x-syntra-key`) and
 * what it resolves to. Resolutions are cached briefly: exporters send many requests a second with
 * the same key, and a revocation then takes effect within CACHE_MS.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { ClientKeyResolver, ResolvedClientKey } from '../../ingest/ports.js';

const CACHE_MS = 5_000;
const CACHE_MAX = 10_000;

export type KeyCheck = { ok: true; key: ResolvedClientKey } | { ok: false; status: 401 | 403; message: string };

export function publicKeyOf(headers: IncomingHttpHeaders): string | null {
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? '');
  if (bearer) return bearer[1]!;
  const header = headers['x-syntra-key'];
  const key = Array.isArray(header) ? header[0] : header;
  return key?.trim() || null;
}

export class OtlpKeyAuth {
  private readonly cache = new Map<string, { at: number; key: ResolvedClientKey | null }>();

  constructor(private readonly resolver: ClientKeyResolver) {}

  async check(headers: IncomingHttpHeaders): Promise<KeyCheck> {
    const publicKey = publicKeyOf(headers);
    if (!publicKey) return { ok: false, status: 401, message: 'A client key is required: Authorization: Bearer <public_key> (or x-syntra-key)' };
    if (publicKey.length > 200) return { ok: false, status: 401, message: 'Unknown client key' };
    const key = await this.resolve(publicKey);
    if (!key) return { ok: false, status: 401, message: 'Unknown client key' };
    if (key.revoked) return { ok: false, status: 403, message: 'This client key has been revoked' };
    return { ok: true, key };
  }

  private async resolve(publicKey: string): Promise<ResolvedClientKey | null> {
    const now = Date.now();
    const hit = this.cache.get(publicKey);
    if (hit && now - hit.at < CACHE_MS) return hit.key;
    const key = await this.resolver.resolve(publicKey);
    if (this.cache.size >= CACHE_MAX) this.cache.clear();
    this.cache.set(publicKey, { at: now, key });
    return key;
  }
}
