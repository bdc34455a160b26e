import type { Redis } from 'ioredis';
import type { IntakeStats } from '@syntra/shared';

export type IntakeCounter = keyof IntakeStats;

const FIELDS: readonly IntakeCounter[] = ['events', 'transactions', 'spans', 'sessions', 'client_reports', 'attachments', 'other_items', 'dropped_rate_limited', 'dropped_backlog', 'dropped_too_large', 'dropped_invalid'];

const keyOf = (serviceId: string) => `syntra:intake:stats:${serviceId}`;

/**
 * Per-service intake counters (accepted items by type, refusals by reason), readable on the service
 * page. Counted in memory per request and added to a Redis hash about once a second, so a burst
 * costs no extra round trip per request; every intake process adds into the same hash.
 */
export class IntakeCounters {
  private pending = new Map<string, Map<IntakeCounter, number>>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly redis: Redis,
    private readonly flushMs = 1_000,
  ) {}

  add(serviceId: string, counter: IntakeCounter, n = 1) {
    if (n <= 0) return;
    let m = this.pending.get(serviceId);
    if (!m) this.pending.set(serviceId, (m = new Map()));
    m.set(counter, (m.get(counter) ?? 0) + n);
    this.timer ??= setTimeout(() => void this.flush().catch(() => undefined), this.flushMs);
    this.timer.unref?.();
  }

  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.pending;
    this.pending = new Map();
    if (!batch.size) return;
    const pipe = this.redis.pipeline();
    for (const [serviceId, counters] of batch) for (const [field, n] of counters) pipe.hincrby(keyOf(serviceId), field, n);
    await pipe.exec();
  }

  async read(serviceId: string): Promise<IntakeStats> {
    await this.flush();
    const raw = await this.redis.hgetall(keyOf(serviceId));
    return Object.fromEntries(FIELDS.map((f) => [f, Number(raw[f] ?? 0)])) as IntakeStats;
  }
}
