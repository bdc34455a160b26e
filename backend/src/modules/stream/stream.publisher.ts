import type { Redis } from 'ioredis';
import type { StreamEvent, StreamEventData, StreamEventType } from '@syntra/shared';

export const streamChannel = (orgId: string) => `syntra:stream:${orgId}`;

/**
 * Publishes console stream events on Redis, one channel per organisation, so every api node
 * forwards them to its own subscribers. A channel nobody listens to costs Redis next to nothing.
 */
export class StreamPublisher {
  constructor(private readonly redis: Redis) {}

  event<T extends StreamEventType>(type: T, orgId: string, data: StreamEventData<T>, at = new Date()): StreamEvent<T> {
    return { type, org_id: orgId, at: at.toISOString(), data };
  }

  /** Events of the same organisation travel in one message. */
  async publish(events: readonly StreamEvent[]): Promise<void> {
    const byOrg = new Map<string, StreamEvent[]>();
    for (const e of events) {
      const list = byOrg.get(e.org_id) ?? [];
      list.push(e);
      byOrg.set(e.org_id, list);
    }
    if (byOrg.size === 0) return;
    const pipeline = this.redis.pipeline();
    for (const [orgId, list] of byOrg) pipeline.publish(streamChannel(orgId), JSON.stringify(list));
    await pipeline.exec();
  }
}
