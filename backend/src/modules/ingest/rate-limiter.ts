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

type Scope = RateVerdict['scope'];

/**
 * Fixed one-minute windows, shared by every intake process through Redis. A request costs no Redis
 * round trip: counts add up locally and are pushed (INCRBY) every `syncMs`, each push bringing back
 * the window's total across processes. A verdict is this process's view (the last known total plus
 * what it counted since), so other processes' traffic is seen within `syncMs`. A key or
 * organisation found over its limit is refused locally until its window ends.
 */
export class IntakeRateLimiter {
  private readonly blocked = new Map<string, number>();
  private pending = new Map<string, number>();
  private readonly known = new Map<string, number>();
  private minute = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly redis: Redis,
    private readonly limits: RateLimits,
    private readonly syncMs = 250,
  ) {}

  async take(keyId: string, orgId: string, n: number, now = Date.now()): Promise<RateVerdict | null> {
    if (n <= 0 || (!this.limits.perKeyPerMinute && !this.limits.perOrgPerMinute)) return null;
    const minute = Math.floor(now / 60_000);
    if (minute !== this.minute) {
      // A new window: what was pending belonged to the old one (its Redis keys expire on their own).
      this.minute = minute;
      this.pending = new Map();
      this.known.clear();
    }
    const windowEnd = (minute + 1) * 60_000;
    const retryAfterSeconds = Math.max(1, Math.ceil((windowEnd - now) / 1000));
    for (const [scope, id] of [['key', keyId], ['organization', orgId]] as const) {
      const until = this.blocked.get(`${scope}:${id}`);
      if (until && until > now) return { scope, retryAfterSeconds: Math.max(1, Math.ceil((until - now) / 1000)) };
    }
    const verdict = this.count('key', keyId, n, this.limits.perKeyPerMinute) ?? this.count('organization', orgId, n, this.limits.perOrgPerMinute);
    this.timer ??= setTimeout(() => void this.sync().catch(() => undefined), this.syncMs);
    this.timer.unref?.();
    if (!verdict) return null;
    this.blocked.set(`${verdict}:${verdict === 'key' ? keyId : orgId}`, windowEnd);
    if (this.blocked.size > 10_000) this.blocked.delete(this.blocked.keys().next().value!);
    return { scope: verdict, retryAfterSeconds };
  }

  /** Adds `n` to the id's count; the scope if that takes it over `limit`. */
  private count(scope: Scope, id: string, n: number, limit: number): Scope | null {
    const k = `${scope}:${id}`;
    const pending = (this.pending.get(k) ?? 0) + n;
    this.pending.set(k, pending);
    return limit && (this.known.get(k) ?? 0) + pending > limit ? scope : null;
  }

  /** Pushes the local counts and learns the windows' totals across processes. */
  async sync(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.pending;
    const minute = this.minute;
    this.pending = new Map();
    if (!batch.size) return;
    const pipe = this.redis.pipeline();
    const keys = [...batch.keys()];
    for (const k of keys) {
      const redisKey = `syntra:intake:rl:${k}:${minute}`;
      pipe.incrby(redisKey, batch.get(k)!).expire(redisKey, 120);
    }
    const res = await pipe.exec();
    if (minute !== this.minute) return;
    keys.forEach((k, i) => {
      const total = Number(res?.[i * 2]?.[1] ?? 0);
      // Counted since the push started stays pending; the total already includes this batch.
      this.known.set(k, total);
    });
  }
}

/**
 * Sentry's `X-Sentry-Rate-Limits` value: `<retry_after>:<categories>:<scope>[:<reason>]`, the
 * categories `;`-separated, empty meaning all of them (what SDKs back off from).
 */
export function sentryRateLimitHeader(retryAfterSeconds: number, scope: string, reason: string, categories: readonly string[] = []): string {
  return `${retryAfterSeconds}:${categories.join(';')}:${scope}:${reason}`;
}
