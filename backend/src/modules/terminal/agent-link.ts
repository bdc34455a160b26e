import type { ControlFrameType, PayloadOf } from '@syntra/shared';

/**
 * What the terminal relay needs from the agent hub on this node: send to an agent whose socket
 * this node holds (false when it does not), and hear terminal frames and binary output.
 */
export interface AgentLink {
  sendFrame<T extends ControlFrameType>(serverId: string, type: T, payload: PayloadOf<T>): boolean;
  sendBinary(serverId: string, data: Uint8Array): boolean;
  onOpened(handler: (serverId: string, payload: PayloadOf<'terminal_opened'>) => void): void;
  onExit(handler: (serverId: string, payload: PayloadOf<'terminal_exit'>) => void): void;
  onBinary(handler: (serverId: string, data: Buffer) => void): void;
}
