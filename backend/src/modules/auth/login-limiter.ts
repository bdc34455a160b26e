import type { Redis } from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { RateLimitedError } from '../../errors.js';

export interface LoginLimits {
  perIp: number;
  perAccount: number;
  windowSeconds: number;
}

/**
 * Two budgets in Redis (shared by every api node): attempts per client IP, and failed attempts per
 * account, so one address cannot spray passwords and one account cannot be guessed from many.
 */
export class LoginLimiter {
  private readonly byIp: RateLimiterRedis;
  private readonly byAccount: RateLimiterRedis;

  constructor(redis: Redis, limits: LoginLimits) {
    this.byIp = new RateLimiterRedis({ storeClient: redis, keyPrefix: 'rl:login:ip', points: limits.perIp, duration: limits.windowSeconds });
    this.byAccount = new RateLimiterRedis({ storeClient: redis, keyPrefix: 'rl:login:acct', points: limits.perAccount, duration: limits.windowSeconds });
  }

  /** Counts an attempt from `ip` and refuses if that IP or the account is out of budget. */
  async beforeAttempt(ip: string, email: string): Promise<void> {
    const account = await this.byAccount.get(email);
    if (account && account.remainingPoints <= 0) throw new RateLimitedError(Math.ceil(account.msBeforeNext / 1000));
    await this.consume(this.byIp, ip);
  }

  async failed(email: string): Promise<void> {
    await this.consume(this.byAccount, email).catch(() => undefined);
  }

  async succeeded(email: string): Promise<void> {
    await this.byAccount.delete(email);
  }

  private async consume(limiter: RateLimiterRedis, key: string) {
    try {
      await limiter.consume(key);
    } catch (err) {
      if (err instanceof RateLimiterRes) throw new RateLimitedError(Math.max(1, Math.ceil(err.msBeforeNext / 1000)));
      throw err;
    }
  }
}
