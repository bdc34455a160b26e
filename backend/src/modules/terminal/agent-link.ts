import type { ControlFrameType, PayloadOf } from '@syntra/shared';

/**
 * What the terminal relay needs from the agent hub on this node: send to an agent whose socket
 * this node holds (false when it does not). What agents send comes in through `TerminalRelay.hubPorts`.
 */
export interface AgentLink {
  sendFrame<T extends ControlFrameType>(serverId: string, type: T, payload: PayloadOf<T>): boolean;
  sendBinary(serverId: string, data: Uint8Array): boolean;
}
