import type { Redis } from 'ioredis';

// Leases in a sorted set scored by expiry: a crashed worker's slot frees itself when its lease lapses.
const ACQUIRE = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if redis.call('ZSCORE', KEYS[1], ARGV[3]) or redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[4]) then
  redis.call('ZADD', KEYS[1], ARGV[2], ARGV[3])
  redis.call('PEXPIRE', KEYS[1], ARGV[5])
  return 1
end
return 0`;

/** A per-server concurrency limit for builds+deploys, shared by every worker process through Redis. */
export class ServerSlots {
  constructor(
    private readonly redis: Redis,
    private readonly limit: number,
    private readonly leaseMs = 60_000,
  ) {}

  private key(serverId: string) {
    return `syntra:deploy-slots:${serverId}`;
  }

  async acquire(serverId: string, holder: string): Promise<boolean> {
    const now = Date.now();
    const ok = await this.redis.eval(ACQUIRE, 1, this.key(serverId), now, now + this.leaseMs, holder, this.limit, this.leaseMs * 2);
    return ok === 1;
  }

  /** Keeps a lease alive while its holder works; returns the function that stops renewing and releases. */
  hold(serverId: string, holder: string): () => Promise<void> {
    const timer = setInterval(() => void this.acquire(serverId, holder).catch(() => undefined), this.leaseMs / 3);
    return async () => {
      clearInterval(timer);
      await this.redis.zrem(this.key(serverId), holder).catch(() => undefined);
    };
  }
}
