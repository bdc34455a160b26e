import type { Build, BuildCancel, Deploy, StreamEventData, StreamEventType, Stop } from '@syntra/shared';

export type AgentBoundFrame =
  | { type: 'deploy'; payload: Deploy }
  | { type: 'stop'; payload: Stop }
  | { type: 'build'; payload: Build }
  | { type: 'build_cancel'; payload: BuildCancel };

/**
 * What the deploy pipeline needs from the agent hub: whether a server's agent is connected (on any
 * api node) and a way to hand it a frame. The hub module provides the implementation.
 */
export interface AgentGateway {
  isConnected(serverId: string): Promise<boolean>;
  send(serverId: string, frame: AgentBoundFrame): Promise<void>;
}

/** Publishes console stream events (the stream module fans them out to subscribed consoles). */
export interface EventSink {
  publish<T extends StreamEventType>(orgId: string, type: T, data: StreamEventData<T>): Promise<void>;
}
