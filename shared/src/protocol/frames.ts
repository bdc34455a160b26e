import { z } from 'zod';
import { scrubNul } from '../api/bounds.js';
import * as A from './agent-frames.js';
import * as B from './build-frames.js';
import * as C from './control-frames.js';
import { FrameEnvelopeSchema, MAX_FRAME_BYTES, PROTOCOL_VERSION } from './envelope.js';

/**
 * Every JSON frame, defined once: its type name, direction and payload schema. Both ends import
 * this table; nothing else names a frame type.
 */
function frame<T extends string, F extends 'agent' | 'control' | 'both', S extends z.ZodType>(type: T, from: F, payload: S) {
  return { type, from, payload } as const;
}

export const FRAMES = {
  agent_hello: frame('agent_hello', 'agent', A.AgentHelloSchema),
  heartbeat: frame('heartbeat', 'agent', A.HeartbeatSchema),
  deploy_status: frame('deploy_status', 'agent', A.DeployStatusSchema),
  log_stream: frame('log_stream', 'agent', A.LogStreamSchema),
  telemetry_batch: frame('telemetry_batch', 'agent', A.TelemetryBatchSchema),
  // Answers a command; either end also uses it to reject a frame it could not process.
  command_response: frame('command_response', 'both', A.CommandResponseSchema),
  alert: frame('alert', 'agent', A.AlertSchema),
  terminal_opened: frame('terminal_opened', 'agent', A.TerminalOpenedSchema),
  terminal_exit: frame('terminal_exit', 'agent', A.TerminalExitSchema),
  build_log: frame('build_log', 'agent', B.BuildLogSchema),
  build_result: frame('build_result', 'agent', B.BuildResultSchema),

  hello_ack: frame('hello_ack', 'control', C.HelloAckSchema),
  pong: frame('pong', 'control', C.PongSchema),
  deploy: frame('deploy', 'control', C.DeploySchema),
  stop: frame('stop', 'control', C.StopSchema),
  command: frame('command', 'control', C.CommandSchema),
  telemetry_ack: frame('telemetry_ack', 'control', C.TelemetryAckSchema),
  terminal_open: frame('terminal_open', 'control', C.TerminalOpenSchema),
  terminal_attach: frame('terminal_attach', 'control', C.TerminalAttachSchema),
  terminal_resize: frame('terminal_resize', 'control', C.TerminalResizeSchema),
  terminal_close: frame('terminal_close', 'control', C.TerminalCloseSchema),
  terminal_detach: frame('terminal_detach', 'control', C.TerminalDetachSchema),
  terminal_ack: frame('terminal_ack', 'control', C.TerminalAckSchema),
  build: frame('build', 'control', B.BuildSchema),
  build_cancel: frame('build_cancel', 'control', B.BuildCancelSchema),
} as const;

export type FrameType = keyof typeof FRAMES;
type From = (typeof FRAMES)[FrameType]['from'];
type FramesFrom<D extends From> = { [K in FrameType]: (typeof FRAMES)[K]['from'] extends D | 'both' ? K : never }[FrameType];
export type AgentFrameType = FramesFrom<'agent'>;
export type ControlFrameType = FramesFrom<'control'>;
export type PayloadOf<T extends FrameType> = z.infer<(typeof FRAMES)[T]['payload']>;

export interface Frame<T extends FrameType = FrameType> {
  v: typeof PROTOCOL_VERSION;
  id: string;
  type: T;
  timestamp: string;
  payload: PayloadOf<T>;
  reply_to?: string;
}

/** A frame of one of `types`, narrowed so `switch (frame.type)` types the payload. */
export type AnyFrameOf<T extends FrameType> = { [K in T]: Frame<K> }[T];

/** Request id used when replying to a frame whose own id could not be read. */
export const NIL_UUID = '00000000-0000-0000-0000-000000000000';

/** `shared` has no random source of its own: each end passes `crypto.randomUUID`. */
export function buildFrame<T extends FrameType>(type: T, payload: PayloadOf<T>, id: string, replyTo?: string): Frame<T> {
  const f: Frame<T> = { v: PROTOCOL_VERSION, id, type, timestamp: new Date().toISOString(), payload };
  if (replyTo) f.reply_to = replyTo;
  return f;
}

export type ParseResult<T extends FrameType> =
  | { ok: true; frame: AnyFrameOf<T> }
  | { ok: false; code: 'malformed_frame' | 'unknown_type' | 'invalid_payload'; message: string; id: string | null; type: string | null };

function summarise(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
    .join('; ');
}

/** No frame's payload nests deeper than this (command args are bounded at MAX_JSON_DEPTH inside it). */
export const MAX_FRAME_DEPTH = 64;

/**
 * Parses and validates a text frame from the wire. `accept` is the direction the receiver accepts
 * (an agent must not send `deploy`). Never throws.
 */
export function parseFrame<D extends 'agent' | 'control'>(
  text: string,
  from: D,
): ParseResult<D extends 'agent' ? AgentFrameType : ControlFrameType> {
  if (text.length > MAX_FRAME_BYTES) return { ok: false, code: 'malformed_frame', message: 'frame too large', id: null, type: null };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, code: 'malformed_frame', message: 'not JSON', id: null, type: null };
  }
  // Frames carry programs' output and errors: a NUL there would make the frame unstorable (and a
  // telemetry batch that can never be stored is resent forever), and no frame nests this deep.
  if (!scrubNul(json, MAX_FRAME_DEPTH)) return { ok: false, code: 'malformed_frame', message: `nested deeper than ${MAX_FRAME_DEPTH} levels`, id: null, type: null };
  const envelope = FrameEnvelopeSchema.safeParse(json);
  if (!envelope.success) {
    const raw = json as { id?: unknown; type?: unknown } | null;
    const id = typeof raw?.id === 'string' && z.uuid().safeParse(raw.id).success ? raw.id : null;
    return { ok: false, code: 'malformed_frame', message: summarise(envelope.error), id, type: typeof raw?.type === 'string' ? raw.type.slice(0, 64) : null };
  }
  const { id, type } = envelope.data;
  const def = (FRAMES as Record<string, (typeof FRAMES)[FrameType]>)[type];
  if (!def || (def.from !== from && def.from !== 'both')) return { ok: false, code: 'unknown_type', message: `unknown frame type "${type}"`, id, type };
  const payload = def.payload.safeParse(envelope.data.payload);
  if (!payload.success) return { ok: false, code: 'invalid_payload', message: summarise(payload.error), id, type };
  return { ok: true, frame: { ...envelope.data, payload: payload.data } as never };
}
