import { TERMINAL_HEADER_BYTES, TERMINAL_KIND, terminalFrameSessionId } from '@syntra/shared';
import type { AgentContext, HandlerRegistry } from '../core/handlers.js';
import { TerminalManager, type TerminalManagerOptions } from './terminal-manager.js';

/**
 * Wires the `terminal_*` frames and binary input of the agent core to a session manager. Frames
 * go out through the context of the latest frame (the core's socket). When a binary send fails
 * (the socket is down) the session is detached: its output waits in the scrollback ring and the
 * grace period starts, until the console reattaches.
 */
export function registerTerminalHandlers(handlers: HandlerRegistry, options: TerminalManagerOptions = {}): TerminalManager {
  let ctx: AgentContext | null = null;
  const remember = (c: AgentContext) => (ctx = c);
  const manager: TerminalManager = new TerminalManager(
    {
      sendFrame: (type, payload, replyTo) => ctx?.send(type, payload, replyTo),
      sendOutput: (sessionId, frame) => {
        const sent = ctx?.sendBinary(frame) ?? false;
        if (!sent) manager.detach(sessionId);
      },
      replyError: (replyTo, code, message) => ctx?.send('command_response', { request_id: replyTo, ok: false, error: { code, message } }, replyTo),
    },
    options,
  );
  handlers
    .onFrame('terminal_open', (f, c) => (remember(c), manager.open(f)))
    .onFrame('terminal_attach', (f, c) => (remember(c), manager.attach(f)))
    .onFrame('terminal_detach', (f, c) => (remember(c), manager.detach(f.payload.session_id)))
    .onFrame('terminal_resize', (f, c) => (remember(c), manager.resize(f)))
    .onFrame('terminal_ack', (f, c) => (remember(c), manager.ack(f)))
    .onFrame('terminal_close', (f, c) => (remember(c), manager.close(f)))
    .onBinary((data, c) => {
      remember(c);
      // Every keystroke: read in place, not decoded into a chunk.
      if (data.byteLength >= TERMINAL_HEADER_BYTES && data[0] === TERMINAL_KIND.input) manager.input(terminalFrameSessionId(data), data.subarray(TERMINAL_HEADER_BYTES));
    });
  return manager;
}
