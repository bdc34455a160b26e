import type { Redis } from 'ioredis';
import { BUS_CHANNEL, type BusMessage } from '../agent-hub/index.js';

/**
 * Terminal traffic between api nodes, for when the console's socket and the agent's socket are on
 * different nodes. A message is `[4-byte header length][JSON header][raw bytes]` on one Redis
 * channel; each node acts on what it holds and ignores its own messages.
 */
export type TerminalBusHeader =
  | { kind: 'to_agent_binary'; server_id: string }
  | { kind: 'to_agent_frame'; server_id: string; type: string; payload: Record<string, unknown> }
  | { kind: 'to_console_binary'; server_id: string; session_id: string }
  | { kind: 'to_console_message'; server_id: string; session_id: string; message: Record<string, unknown> };

const CHANNEL = 'syntra:terminal';

export class TerminalBus {
  private subscriber: Redis | null = null;

  constructor(
    private readonly redis: Redis,
    private readonly nodeId: string,
  ) {}

  /**
   * `onAgentConnected` hears the agent hub's own announcements (any node): a reconnected agent has
   * detached its sessions, and consoles still connected must attach again.
   */
  async start(onMessage: (header: TerminalBusHeader, data: Buffer) => void, onAgentConnected: (serverId: string) => void): Promise<void> {
    this.subscriber = this.redis.duplicate();
    this.subscriber.on('messageBuffer', (channel: Buffer, message: Buffer) => {
      if (channel.toString() === BUS_CHANNEL) {
        try {
          const msg = JSON.parse(message.toString('utf8')) as BusMessage;
          if (msg.kind === 'connected') onAgentConnected(msg.server_id);
        } catch {
          /* not ours */
        }
        return;
      }
      try {
        const len = message.readUInt32BE(0);
        const header = JSON.parse(message.subarray(4, 4 + len).toString('utf8')) as TerminalBusHeader & { origin: string };
        if (header.origin === this.nodeId) return;
        onMessage(header, message.subarray(4 + len));
      } catch {
        /* not ours */
      }
    });
    await this.subscriber.subscribe(CHANNEL, BUS_CHANNEL);
  }

  publish(header: TerminalBusHeader, data: Uint8Array = new Uint8Array(0)): void {
    const head = Buffer.from(JSON.stringify({ ...header, origin: this.nodeId }), 'utf8');
    const len = Buffer.alloc(4);
    len.writeUInt32BE(head.byteLength, 0);
    void this.redis.publish(CHANNEL, Buffer.concat([len, head, data])).catch(() => undefined);
  }

  async stop(): Promise<void> {
    await this.subscriber?.quit().catch(() => undefined);
    this.subscriber = null;
  }
}
