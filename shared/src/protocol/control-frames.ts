import { z } from 'zod';
import { AgentLogLevelSchema, ArtifactKindSchema } from '../contract-values.js';
import { BuildSchema } from './build-frames.js';
import { text } from '../api/strings.js';

/** Payload schemas of the frames the control plane sends (PROTOCOL.md, "Control plane → agent"). */

export const AgentConfigSchema = z.object({
  heartbeat_interval_seconds: z.number().min(0.1).max(3600),
  telemetry_batch_interval_seconds: z.number().min(0.1).max(3600),
  telemetry_buffer_max_mb: z.number().min(1).max(100_000),
  log_level: AgentLogLevelSchema,
});
export type AgentConfig = z.infer<typeof AgentConfigSchema>;

export const DEFAULT_AGENT_CONFIG: AgentConfig = {
  heartbeat_interval_seconds: 15,
  telemetry_batch_interval_seconds: 10,
  telemetry_buffer_max_mb: 100,
  log_level: 'info',
};

export const DeploySchema = z.object({
  request_id: z.uuid(),
  deployment_id: z.string().max(100),
  service_id: z.string().max(100),
  artifact: z.object({
    kind: ArtifactKindSchema,
    url: z.string().max(2000).optional(),
    ref: z.string().max(500).optional(),
    digest: z.string().max(200).nullable().optional(),
  }),
  start_command: z.string().max(2000).nullable().optional(),
  port: z.number().int().min(0).max(65535).nullable(),
  env: z.record(z.string(), z.string()),
  replicas: z.number().int().min(0).max(100),
  health_check: z
    .object({ path: z.string().max(500), interval: z.number().min(0), timeout: z.number().min(0), retries: z.number().int().min(0) })
    .nullable(),
  domains: z.array(z.string().max(253)).max(100),
  limits: z.object({ cpu: z.string().max(20).nullable(), memory: z.string().max(20).nullable() }),
});
export type Deploy = z.infer<typeof DeploySchema>;

export const StopSchema = z.object({
  request_id: z.uuid(),
  service_id: z.string().max(100),
  timeout_seconds: z.number().int().min(0).max(3600),
  remove_container: z.boolean(),
});
export type Stop = z.infer<typeof StopSchema>;

/** Command names a current agent knows. The wire field is an open string: an older agent rejects what it does not know. */
export const COMMAND_NAMES = ['host.info', 'service.restart', 'service.logs', 'host.prune', 'repo.files'] as const;
export const CommandNameSchema = z.string().regex(/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/, 'dotted lowercase name').max(64);

export const CommandSchema = z.object({
  request_id: z.uuid(),
  name: CommandNameSchema,
  args: z.record(z.string(), z.unknown()),
});
export type Command = z.infer<typeof CommandSchema>;

/** A command not yet answered, redelivered in `hello_ack`. `type` says which frame it was. */
export const PendingCommandSchema = z.object({
  type: z.enum(['command', 'stop', 'deploy', 'build', 'build_cancel']),
  payload: z.record(z.string(), z.unknown()),
});
export type PendingCommand = z.infer<typeof PendingCommandSchema>;

export const HelloAckSchema = z.object({
  server_id: z.uuid(),
  accepted: z.boolean(),
  server_name: z.string(),
  org_id: z.uuid(),
  config: AgentConfigSchema,
  pending_deployments: z.array(DeploySchema),
  pending_commands: z.array(PendingCommandSchema),
  /** Builds this agent was sent and has not answered, rebuilt from the database (deploy keys are never stored in a command row). */
  pending_builds: z.array(BuildSchema).max(200).default([]),
  /** The highest telemetry seq the control plane has stored; the agent drops what is at or below it. */
  telemetry_acked_seq: z.number().int().min(0),
});
export type HelloAck = z.infer<typeof HelloAckSchema>;

export const PongSchema = z.object({});
export const TelemetryAckSchema = z.object({ seq: z.number().int().min(0) });

export const TerminalTargetSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('host') }),
  // Stored in terminal_sessions.target (jsonb): NUL-free like every request string.
  z.object({ kind: z.literal('service'), service_id: text(100) }),
]);
export const TerminalOpenSchema = z.object({
  session_id: z.uuid(),
  cols: z.number().int().min(1).max(1000),
  rows: z.number().int().min(1).max(1000),
  target: TerminalTargetSchema,
  shell: z.string().max(200).optional(),
  user: z.string().max(64).optional(),
});
export const TerminalAttachSchema = z.object({ session_id: z.uuid(), last_seq: z.number().int().min(0) });
export const TerminalResizeSchema = z.object({ session_id: z.uuid(), cols: z.number().int().min(1).max(1000), rows: z.number().int().min(1).max(1000) });
export const TerminalCloseSchema = z.object({ session_id: z.uuid() });
/** The console's socket closed: the agent keeps the session for its grace period, paused once its window fills. */
export const TerminalDetachSchema = z.object({ session_id: z.uuid() });
export const TerminalAckSchema = z.object({ session_id: z.uuid(), seq: z.number().int().min(0) });
