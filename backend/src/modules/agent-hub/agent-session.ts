import { randomUUID } from 'node:crypto';
import { WebSocket } from 'ws';
import { NIL_UUID, buildFrame, type ControlFrameType, type PayloadOf } from '@syntra/shared';

/** One authenticated agent socket after its hello. */
export class AgentSession {
  readonly connectionId = randomUUID();
  /** The last queued handling of each frame type: one agent's frames of a type are handled in the order sent. */
  private readonly lanes = new Map<string, Promise<unknown>>();

  constructor(
    readonly ws: WebSocket,
    readonly serverId: string,
    readonly orgId: string,
    readonly serverName: string,
  ) {}

  get open() {
    return this.ws.readyState === WebSocket.OPEN;
  }

  send<T extends ControlFrameType>(type: T, payload: PayloadOf<T>, replyTo?: string): string {
    const frame = buildFrame(type, payload, randomUUID(), replyTo);
    if (this.open) this.ws.send(JSON.stringify(frame));
    return frame.id;
  }

  /** PROTOCOL.md: a frame that cannot be processed is answered with a failed command_response. */
  replyError(replyTo: string | null, code: string, message: string) {
    if (!this.open) return;
    const frame = buildFrame('command_response', { request_id: replyTo ?? NIL_UUID, ok: false, error: { code, message } }, randomUUID(), replyTo ?? undefined);
    this.ws.send(JSON.stringify(frame));
  }

  /**
   * Runs `fn` after the previous frame of the same `lane` (type) from this agent was handled: two
   * log batches are appended in the order the agent sent them, while other types do not wait.
   */
  inOrder<T>(lane: string, fn: () => Promise<T> | T): Promise<T> {
    const previous = this.lanes.get(lane) ?? Promise.resolve();
    const next = previous.then(fn, fn);
    const settled = next.catch(() => undefined);
    this.lanes.set(lane, settled);
    void settled.then(() => {
      if (this.lanes.get(lane) === settled) this.lanes.delete(lane);
    });
    return next;
  }

  close(code: number, reason: string) {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.close(code, reason);
  }
}
