import type { Redis } from 'ioredis';

export interface RateLimits {
  /** Items (events + transactions) per minute per client key; 0: no limit. */
  perKeyPerMinute: number;
  /** The same for all keys of an organisation together; 0: no limit. */
  perOrgPerMinute: number;
}

export interface RateVerdict {
  scope: 'key' | 'organization';
  retryAfterSeconds: number;
}

/**
 * Fixed one-minute windows in Redis, shared by every intake process. A key or organisation found
 * over its limit is remembered locally until its window ends, so a flood from it costs no Redis
 * round trip.
 */
export class IntakeRateLimiter {
  private readonly blocked = new Map<string, number>();

  constructor(
    private readonly redis: Redis,
    private readonly limits: RateLimits,
  ) {}

  async take(keyId: string, orgId: string, n: number, now = Date.now()): Promise<RateVerdict | null> {
    if (n <= 0 || (!this.limits.perKeyPerMinute && !this.limits.perOrgPerMinute)) return null;
    const windowEnd = (Math.floor(now / 60_000) + 1) * 60_000;
    const retryAfterSeconds = Math.max(1, Math.ceil((windowEnd - now) / 1000));
    for (const [scope, id] of [['key', keyId], ['organization', orgId]] as const) {
      const until = this.blocked.get(`${scope}:${id}`);
      if (until && until > now) return { scope, retryAfterSeconds: Math.max(1, Math.ceil((until - now) / 1000)) };
    }
    const minute = Math.floor(now / 60_000);
    const kKey = `syntra:intake:rl:key:${keyId}:${minute}`;
    const kOrg = `syntra:intake:rl:org:${orgId}:${minute}`;
    const res = await this.redis.multi().incrby(kKey, n).expire(kKey, 120).incrby(kOrg, n).expire(kOrg, 120).exec();
    const keyCount = Number(res?.[0]?.[1] ?? 0);
    const orgCount = Number(res?.[2]?.[1] ?? 0);
    let verdict: RateVerdict | null = null;
    if (this.limits.perKeyPerMinute && keyCount > this.limits.perKeyPerMinute) verdict = { scope: 'key', retryAfterSeconds };
    else if (this.limits.perOrgPerMinute && orgCount > this.limits.perOrgPerMinute) verdict = { scope: 'organization', retryAfterSeconds };
    if (verdict) {
      this.blocked.set(`${verdict.scope}:${verdict.scope === 'key' ? keyId : orgId}`, windowEnd);
      if (this.blocked.size > 10_000) this.blocked.delete(this.blocked.keys().next().value!);
    }
    return verdict;
  }
}

/**
 * Sentry's `X-Sentry-Rate-Limits` value: `<retry_after>:<categories>:<scope>[:<reason>]`, the
 * categories `;`-separated, empty meaning all of them (what SDKs back off from).
 */
export function sentryRateLimitHeader(retryAfterSeconds: number, scope: string, reason: string, categories: readonly string[] = []): string {
  return `${retryAfterSeconds}:${categories.join(';')}:${scope}:${reason}`;
}
