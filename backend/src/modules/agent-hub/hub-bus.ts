import type { Redis } from 'ioredis';

export interface CommandAnswer {
  ok: boolean;
  data: unknown;
  error: { code: string; message: string } | null;
  at: string;
}

/** Messages between api nodes about agent sockets (Redis pub/sub). */
export type BusMessage =
  /** A command row is waiting: the node holding the server's socket delivers it. */
  | { kind: 'deliver'; server_id: string; command_id: string }
  /** An agent answered: a node waiting for that command wakes up with the answer. */
  | { kind: 'answered'; command_id: string; answer?: CommandAnswer }
  /** Close the server's socket (token rotated, server deleted). */
  | { kind: 'kick'; server_id: string; code: number; reason: string }
  /** A new connection of this server was accepted; older ones elsewhere close with 4008. */
  | { kind: 'connected'; server_id: string; connection_id: string };

export const BUS_CHANNEL = 'syntra:agent-hub';

export class HubBus {
  private subscriber: Redis | null = null;

  constructor(private readonly redis: Redis) {}

  async start(onMessage: (msg: BusMessage) => void): Promise<void> {
    this.subscriber = this.redis.duplicate();
    this.subscriber.on('message', (_channel: string, text: string) => {
      try {
        onMessage(JSON.parse(text) as BusMessage);
      } catch {
        /* not ours */
      }
    });
    await this.subscriber.subscribe(BUS_CHANNEL);
  }

  async publish(msg: BusMessage): Promise<void> {
    await this.redis.publish(BUS_CHANNEL, JSON.stringify(msg));
  }

  async stop(): Promise<void> {
    await this.subscriber?.quit().catch(() => undefined);
    this.subscriber = null;
  }
}
