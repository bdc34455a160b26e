import type { Redis } from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { RateLimitedError } from '../../errors.js';

/** Registrations per client IP in a window (SYNTRA_REGISTER_LIMIT_*), shared by every api node through Redis. */
export class RegisterLimiter {
  private readonly byIp: RateLimiterRedis;

  constructor(redis: Redis, limits: { perIp: number; windowSeconds: number }) {
    this.byIp = new RateLimiterRedis({ storeClient: redis, keyPrefix: 'rl:register:ip', points: limits.perIp, duration: limits.windowSeconds });
  }

  async consume(ip: string): Promise<void> {
    try {
      await this.byIp.consume(ip);
    } catch (err) {
      if (err instanceof RateLimiterRes) throw new RateLimitedError(Math.max(1, Math.ceil(err.msBeforeNext / 1000)));
      throw err;
    }
  }
}
