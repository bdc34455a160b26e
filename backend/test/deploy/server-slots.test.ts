import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { ServerSlots } from '../../src/workers/server-slots.js';
import { testRedisUrl } from '../support/test-env.js';

const redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: 3 });
afterAll(() => redis.quit());

describe('per-server deploy concurrency', () => {
  it('admits up to the limit per server, frees a slot on release, and lets a dead holder’s lease lapse', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    const slots = new ServerSlots(redis, 2, 300);
    expect(await slots.acquire(a, 'job:1')).toBe(true);
    expect(await slots.acquire(a, 'job:2')).toBe(true);
    expect(await slots.acquire(a, 'job:3')).toBe(false);
    expect(await slots.acquire(b, 'job:3')).toBe(true); // another server has its own slots
    expect(await slots.acquire(a, 'job:1')).toBe(true); // a holder renewing its own lease
    const release = slots.hold(a, 'job:2');
    await release();
    expect(await slots.acquire(a, 'job:3')).toBe(true);
    expect(await slots.acquire(a, 'job:4')).toBe(false);
    // job:1 and job:3 stop renewing (their worker died): the leases lapse.
    await new Promise((r) => setTimeout(r, 400));
    expect(await slots.acquire(a, 'job:4')).toBe(true);
  });
});
