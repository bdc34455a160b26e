import { decodeTerminalFrame, type AnyFrameOf, type ControlFrameType } from '@syntra/shared';
import type { TerminalManager } from './terminal-manager.js';

/** The slice of the agent core's frame registry the terminal needs. */
export interface TerminalFrameRegistry {
  on<T extends ControlFrameType>(type: T, handler: (frame: AnyFrameOf<T>) => void | Promise<void>): void;
  onBinary(handler: (data: Uint8Array) => void): void;
}

/** Wires the `terminal_*` control frames and binary input to the session manager. */
export function registerTerminalHandlers(registry: TerminalFrameRegistry, manager: TerminalManager) {
  registry.on('terminal_open', (f) => manager.open(f));
  registry.on('terminal_attach', (f) => manager.attach(f));
  registry.on('terminal_resize', (f) => manager.resize(f));
  registry.on('terminal_ack', (f) => manager.ack(f));
  registry.on('terminal_close', (f) => manager.close(f));
  registry.onBinary((data) => {
    const chunk = decodeTerminalFrame(data);
    if (chunk) manager.input(chunk);
  });
}
