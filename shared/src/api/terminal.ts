import { z } from 'zod';
import { TerminalSessionStatusSchema } from '../contract-values.js';
import { TerminalTargetSchema } from '../protocol/control-frames.js';
import { IdSchema, TimestampSchema } from './common.js';
import { int4 } from './bounds.js';

export const OpenTerminalBodySchema = z.object({
  cols: int4(1, 1000),
  rows: int4(1, 1000),
  target: TerminalTargetSchema.default({ kind: 'host' }),
  /** Keep an asciicast v2 recording of the output, replayable later. */
  record: z.boolean().default(false),
});
export type OpenTerminalBody = z.infer<typeof OpenTerminalBodySchema>;

export const TERMINAL_WS_PATH_PREFIX = '/api/v1/terminal/';

/**
 * A console's session ticket travels in `Sec-WebSocket-Protocol`, never in the URL (URLs end up in
 * proxy and access logs). The console offers two subprotocols: TERMINAL_SUBPROTOCOL, which the relay
 * selects (a browser drops a handshake whose answer names none of the protocols it offered), and
 * `syntra.ticket.<ticket>`, which is read and never echoed back. Tickets are base64url, so they are
 * valid subprotocol tokens as they are.
 */
export const TERMINAL_SUBPROTOCOL = 'syntra.terminal.v1';
export const TICKET_PROTOCOL_PREFIX = 'syntra.ticket.';
export const ticketProtocol = (ticket: string) => `${TICKET_PROTOCOL_PREFIX}${ticket}`;

export const OpenedTerminalSchema = z.object({
  session_id: IdSchema,
  /** Connect a WebSocket here (relative to the API origin), offering [TERMINAL_SUBPROTOCOL, ticketProtocol(ticket)]. */
  ws_path: z.string(),
  /**
   * Lets the console attach to this session once: every attach hands it the next ticket (a `ticket`
   * message, first on the socket), which it keeps for a resume. Shown once.
   */
  ticket: z.string(),
});

export const TerminalSessionSchema = z.object({
  id: IdSchema,
  server_id: IdSchema.nullable(),
  user: z.object({ id: IdSchema, email: z.string() }).nullable(),
  target: TerminalTargetSchema,
  status: TerminalSessionStatusSchema,
  started_at: TimestampSchema,
  ended_at: TimestampSchema.nullable(),
  bytes_in: z.number().int(),
  bytes_out: z.number().int(),
  exit_code: z.number().int().nullable(),
  exit_signal: z.string().nullable(),
  recorded: z.boolean(),
});
export type TerminalSession = z.infer<typeof TerminalSessionSchema>;

/**
 * JSON text messages on the console's terminal WebSocket. Bytes travel in binary frames with the
 * agent protocol's layout (PROTOCOL.md): input from the console, output (with the agent's
 * sequence numbers) to it. Resume by connecting with `?last_seq=<last output seq seen>`.
 */
export const TerminalClientMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('resize'), cols: z.number().int().min(1).max(1000), rows: z.number().int().min(1).max(1000) }),
  /** Everything up to `seq` is on screen: the agent may send more (flow control). */
  z.object({ type: z.literal('ack'), seq: z.number().int().min(0) }),
  /** End the session (hang up the shell). */
  z.object({ type: z.literal('close') }),
]);
export type TerminalClientMessage = z.infer<typeof TerminalClientMessageSchema>;

export type TerminalServerMessage =
  /** The ticket for the next attach (the one just used is spent; it stays valid a minute in case this one is lost). */
  | { type: 'ticket'; ticket: string }
  | { type: 'opened'; pid: number; resumed: boolean }
  | { type: 'exit'; exit_code: number | null; signal: string | null }
  | { type: 'error'; code: string; message: string };

/**
 * Close codes of the console's terminal socket. An attach that is not allowed never gets a socket:
 * the upgrade is refused with HTTP 404. `revoked`: the credential that opened the session was
 * revoked or expired, or its user may no longer open terminals there; the session is closed.
 */
export const TERMINAL_CLOSE_CODES = { ended: 4404, replaced: 4008, revoked: 4403 } as const;
