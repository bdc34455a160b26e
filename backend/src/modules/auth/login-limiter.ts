import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { RateLimitedError } from '../../errors.js';

export interface LoginLimits {
  perIp: number;
  perAccount: number;
  windowSeconds: number;
}

/** Who is trying: the client address, the account's email, and the device proof's id when it carried a valid one. */
export interface LoginAttempt {
  ip: string;
  email: string;
  deviceId: string | null;
}

/** Longest pause before answering a client without proof once an account is under attack. */
const MAX_DELAY_MS = 3000;
const BASE_DELAY_MS = 100;

/**
 * Login throttling that nobody can turn into a lockout of someone else's account (OWASP ASVS 2.2.1).
 * All budgets live in Redis (shared by every api node) for `windowSeconds`:
 *
 * 1. Per client IP: every attempt without device proof counts; over budget → 429. One address
 *    cannot spray passwords across accounts.
 * 2. A client with device proof (a signed token this installation issued to it at a successful
 *    sign-in to this same account, see device-proof.ts) is judged only by its own failures
 *    (per device, `perAccount`): failures others cause — from any address — never block it.
 * 3. Clients without proof share the account's failure budget (`perAccount`). Once it is spent,
 *    the account is "under attack": a client (IP) that has itself failed on this account in the
 *    window is refused (429); a client with no failed attempt there still gets its attempt
 *    checked — so the right password from a fresh client signs in — but after a delay growing
 *    with the account's failures (up to 3 s), which keeps distributed guessing at one slow guess
 *    per address per window.
 *
 * A success clears the account's counters and the client's own.
 */
export class LoginLimiter {
  private readonly byIp: RateLimiterRedis;
  private readonly byAccount: RateLimiterRedis;
  private readonly byAccountClient: RateLimiterRedis;
  private readonly byDevice: RateLimiterRedis;

  constructor(redis: Redis, private readonly limits: LoginLimits) {
    const common = { storeClient: redis, duration: limits.windowSeconds };
    this.byIp = new RateLimiterRedis({ ...common, keyPrefix: 'rl:login:ip', points: limits.perIp });
    this.byAccount = new RateLimiterRedis({ ...common, keyPrefix: 'rl:login:acct', points: limits.perAccount });
    // Failures of one address on one account: any count there means "this client has failed here".
    this.byAccountClient = new RateLimiterRedis({ ...common, keyPrefix: 'rl:login:acct-ip', points: limits.perAccount });
    this.byDevice = new RateLimiterRedis({ ...common, keyPrefix: 'rl:login:dev', points: limits.perAccount });
  }

  /** Refuses (429) or delays an attempt per the rules above; call before checking the password. */
  async beforeAttempt(attempt: LoginAttempt): Promise<void> {
    if (attempt.deviceId) {
      const own = await this.byDevice.get(attempt.deviceId);
      if (own && own.remainingPoints <= 0) throw limited(own);
      return;
    }
    await consume(this.byIp, attempt.ip);
    const account = await this.byAccount.get(attempt.email);
    if (!account || account.consumedPoints < this.limits.perAccount) return;
    const mine = await this.byAccountClient.get(clientKey(attempt));
    if (mine && mine.consumedPoints > 0) throw limited(mine);
    const excess = account.consumedPoints - this.limits.perAccount;
    await sleep(Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.min(excess, 10)));
  }

  async failed(attempt: LoginAttempt): Promise<void> {
    if (attempt.deviceId) {
      await this.byDevice.penalty(attempt.deviceId, 1);
      return;
    }
    await Promise.all([this.byAccount.penalty(attempt.email, 1), this.byAccountClient.penalty(clientKey(attempt), 1)]);
  }

  async succeeded(attempt: LoginAttempt): Promise<void> {
    await Promise.all([
      this.byAccount.delete(attempt.email),
      this.byAccountClient.delete(clientKey(attempt)),
      attempt.deviceId ? this.byDevice.delete(attempt.deviceId) : undefined,
    ]);
  }
}

const clientKey = (a: LoginAttempt) => `${a.email}|${a.ip}`;

function limited(res: RateLimiterRes): RateLimitedError {
  return new RateLimitedError(Math.max(1, Math.ceil(res.msBeforeNext / 1000)));
}

async function consume(limiter: RateLimiterRedis, key: string) {
  try {
    await limiter.consume(key);
  } catch (err) {
    if (err instanceof RateLimiterRes) throw limited(err);
    throw err;
  }
}
