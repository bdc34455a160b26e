import { z } from 'zod';
import { CommandStatusSchema, ServerStatusSchema } from '../contract-values.js';
import { IdSchema, PageQuerySchema, TimestampSchema } from './common.js';
import { int4, JsonObjectSchema, queryInt4, storableDateTime } from './bounds.js';
import { trimmedText } from './strings.js';

/** The latest host usage the agent reported (from its last heartbeat). */
export const ServerUsageSchema = z.object({
  at: TimestampSchema,
  cpu_percent: z.number(),
  memory_used_mb: z.number(),
  disk_used_gb: z.number(),
  load_avg: z.tuple([z.number(), z.number(), z.number()]),
});
export type ServerUsage = z.infer<typeof ServerUsageSchema>;

export const ServerSchema = z.object({
  id: IdSchema,
  org_id: IdSchema,
  name: z.string(),
  hostname: z.string().nullable(),
  public_ip: z.string().nullable(),
  private_ip: z.string().nullable(),
  runtime: z.string(),
  runtime_version: z.string().nullable(),
  status: ServerStatusSchema,
  agent_version: z.string().nullable(),
  os_name: z.string().nullable(),
  os_version: z.string().nullable(),
  arch: z.string().nullable(),
  cpu_cores: z.number().int().nullable(),
  memory_mb: z.number().int().nullable(),
  disk_gb: z.number().int().nullable(),
  tags: z.array(z.string()),
  last_heartbeat_at: TimestampSchema.nullable(),
  usage: ServerUsageSchema.nullable(),
  created_at: TimestampSchema,
  updated_at: TimestampSchema,
});
export type Server = z.infer<typeof ServerSchema>;

const ServerName = trimmedText(100).min(1);
const Tags = z.array(trimmedText(50).min(1)).max(20);

export const CreateServerBodySchema = z.object({ name: ServerName, tags: Tags.optional() });
export type CreateServerBody = z.infer<typeof CreateServerBodySchema>;

export const UpdateServerBodySchema = z
  .object({ name: ServerName.optional(), tags: Tags.optional() })
  .refine((b) => b.name !== undefined || b.tags !== undefined, 'name or tags is required');
export type UpdateServerBody = z.infer<typeof UpdateServerBodySchema>;

/** The agent token appears only here, once; the backend keeps its SHA-256. */
export const ServerCredentialsSchema = z.object({
  server: ServerSchema,
  agent_token: z.string(),
  install_command: z.string(),
});
export type ServerCredentials = z.infer<typeof ServerCredentialsSchema>;

export const ServerListQuerySchema = PageQuerySchema.extend({
  status: ServerStatusSchema.optional(),
});

/** `from`/`to` default to the last hour; `step` (seconds) defaults to a value giving ≤ 360 points. */
export const ServerMetricsQuerySchema = z
  .object({
    from: storableDateTime({ offset: true }).optional(),
    to: storableDateTime({ offset: true }).optional(),
    step: queryInt4(1, 86_400).optional(),
  })
  .refine((q) => !q.from || !q.to || Date.parse(q.from) < Date.parse(q.to), 'from must be before to');
export type ServerMetricsQuery = z.infer<typeof ServerMetricsQuerySchema>;

export const ServerMetricPointSchema = z.object({
  ts: TimestampSchema,
  cpu_percent: z.number(),
  memory_used_mb: z.number(),
  disk_used_gb: z.number(),
  load_1: z.number(),
});
export type ServerMetricPoint = z.infer<typeof ServerMetricPointSchema>;

export const ServerMetricsSchema = z.object({
  server_id: IdSchema,
  from: TimestampSchema,
  to: TimestampSchema,
  step_seconds: z.number().int(),
  points: z.array(ServerMetricPointSchema),
});

/** Sends a command to the server's agent; `wait_ms` 0 queues it and returns at once. */
export const ServerCommandBodySchema = z.object({
  name: z.string().regex(/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/, 'dotted lowercase name').max(64),
  args: JsonObjectSchema.default({}),
  wait_ms: int4(0, 60_000).default(10_000),
});

export const ServerCommandSchema = z.object({
  id: IdSchema,
  server_id: IdSchema,
  name: z.string(),
  status: CommandStatusSchema,
  ok: z.boolean().nullable(),
  data: z.unknown().optional(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  delivery_count: z.number().int(),
  created_at: TimestampSchema,
  answered_at: TimestampSchema.nullable(),
});
export type ServerCommand = z.infer<typeof ServerCommandSchema>;

export const ServerStatusEventSchema = z.object({
  status: ServerStatusSchema,
  previous_status: ServerStatusSchema.nullable(),
  reason: z.string(),
  at: TimestampSchema,
});
