import { z } from 'zod';

/** Version of the agent ⇄ control plane protocol (PROTOCOL.md). */
export const PROTOCOL_VERSION = 1;

/** Payload size limit per frame; a larger frame closes the socket. */
export const MAX_FRAME_BYTES = 4 * 1024 * 1024;

export const AGENT_WS_PATH = '/agent/ws';

/** WebSocket close codes of the agent socket. */
export const CLOSE_CODES = {
  invalidToken: 4001,
  firstFrameNotHello: 4002,
  invalidHello: 4003,
  unsupportedProtocol: 4004,
  replaced: 4008,
  revoked: 4009,
} as const;
export type CloseCode = (typeof CLOSE_CODES)[keyof typeof CLOSE_CODES];

/** The envelope every JSON control frame shares; `payload` is checked against the frame's own schema. */
export const FrameEnvelopeSchema = z.object({
  v: z.literal(PROTOCOL_VERSION),
  id: z.uuid(),
  type: z.string().min(1).max(64),
  timestamp: z.iso.datetime({ offset: true }),
  payload: z.record(z.string(), z.unknown()),
  reply_to: z.uuid().optional(),
});
export type FrameEnvelope = z.infer<typeof FrameEnvelopeSchema>;

/** Error codes carried in `command_response.error.code` and protocol error replies. */
export const PROTOCOL_ERROR_CODES = [
  'malformed_frame',
  'unknown_type',
  'invalid_payload',
  'unknown_command',
  'invalid_args',
  'command_failed',
  'not_supported',
  'timeout',
] as const;
export const ProtocolErrorCodeSchema = z.enum(PROTOCOL_ERROR_CODES);
