import type { AnyFrameOf, ControlFrameType, PayloadOf, AgentFrameType } from '@syntra/shared';
import type { AgentLogger } from '../log.js';
import type { Runtime } from '../runtime/runtime.js';

/** What a handler may use: the socket (through `send`), the runtime, the data dir. */
export interface AgentContext {
  send<T extends AgentFrameType>(type: T, payload: PayloadOf<T>, replyTo?: string): void;
  /** Sends a binary frame (terminal bytes); false when not connected. */
  sendBinary(data: Uint8Array): boolean;
  log: AgentLogger;
  runtime: Runtime;
  dataDir: string;
}

export type FrameHandler<T extends ControlFrameType = ControlFrameType> = (frame: AnyFrameOf<T>, ctx: AgentContext) => Promise<void> | void;
export type BinaryHandler = (data: Uint8Array, ctx: AgentContext) => void;

/** Thrown by a command handler for an expected failure; its code reaches the control plane. */
export class CommandError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export type CommandHandler = (args: Record<string, unknown>, ctx: AgentContext) => Promise<unknown>;

/**
 * Frame handlers keyed by frame type (`deploy`, `stop`, `command`, `terminal_*`) and command
 * handlers keyed by command name. Feature code (runtimes, deploys, terminals) registers here;
 * the core knows none of them.
 */
export class HandlerRegistry {
  private readonly frames = new Map<string, FrameHandler>();
  private readonly commands = new Map<string, CommandHandler>();
  binary: BinaryHandler | null = null;

  onFrame<T extends ControlFrameType>(type: T, handler: FrameHandler<T>): this {
    this.frames.set(type, handler as FrameHandler);
    return this;
  }

  onCommand(name: string, handler: CommandHandler): this {
    this.commands.set(name, handler);
    return this;
  }

  onBinary(handler: BinaryHandler): this {
    this.binary = handler;
    return this;
  }

  frame(type: string): FrameHandler | undefined {
    return this.frames.get(type);
  }

  command(name: string): CommandHandler | undefined {
    return this.commands.get(name);
  }

  commandNames(): string[] {
    return [...this.commands.keys()];
  }
}
