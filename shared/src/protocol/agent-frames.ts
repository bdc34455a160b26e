import { z } from 'zod';
import { DeployStatusValueSchema, LogLineStreamSchema, RuntimeKindSchema, ServiceStateSchema } from '../contract-values.js';

/** Payload schemas of the frames an agent sends (PROTOCOL.md, "Agent → control plane"). */

const Ip = z.union([z.ipv4(), z.ipv6()]);

export const AgentHelloSchema = z.object({
  agent_id: z.string().min(1).max(100),
  version: z.string().min(1).max(20),
  protocol: z.number().int(),
  runtime: RuntimeKindSchema,
  runtime_version: z.string().max(50).nullable(),
  os: z.object({ name: z.string().max(50), version: z.string().max(50) }),
  arch: z.string().max(20),
  network: z.object({ hostname: z.string().max(255), public_ip: Ip.nullable(), private_ip: Ip.nullable() }),
  resources: z.object({
    cpu_cores: z.number().int().min(0),
    memory_total_mb: z.number().int().min(0),
    disk_total_gb: z.number().min(0),
  }),
  capabilities: z.array(z.string().max(64)).max(100),
  last_acked_telemetry_seq: z.number().int().min(0),
});
export type AgentHello = z.infer<typeof AgentHelloSchema>;

/**
 * Network and disk throughput since the previous sample, bytes per second (optional: older agents
 * omit them; a process-runtime service has no network figure of its own).
 */
const IoRates = {
  net_rx_bps: z.number().min(0).optional(),
  net_tx_bps: z.number().min(0).optional(),
  disk_read_bps: z.number().min(0).optional(),
  disk_write_bps: z.number().min(0).optional(),
};

export const HostUsageSchema = z.object({
  cpu_percent: z.number().min(0).max(100),
  memory_used_mb: z.number().min(0),
  disk_used_gb: z.number().min(0),
  load_avg: z.tuple([z.number().min(0), z.number().min(0), z.number().min(0)]),
  ...IoRates,
});
export type HostUsage = z.infer<typeof HostUsageSchema>;

export const ServiceUsageSchema = z.object({
  service_id: z.string().max(100),
  deployment_id: z.string().max(100).nullable(),
  state: ServiceStateSchema,
  restarts: z.number().int().min(0),
  cpu_percent: z.number().min(0),
  memory_mb: z.number().min(0),
  ...IoRates,
});
export type ServiceUsage = z.infer<typeof ServiceUsageSchema>;

export const HeartbeatSchema = z.object({
  resources: HostUsageSchema,
  services: z.array(ServiceUsageSchema).max(1000),
});
export type Heartbeat = z.infer<typeof HeartbeatSchema>;

export const DeployStatusSchema = z.object({
  request_id: z.uuid(),
  deployment_id: z.string().max(100),
  status: DeployStatusValueSchema,
  message: z.string().max(10_000).nullable(),
  duration_ms: z.number().int().min(0).nullable(),
});
export type DeployStatus = z.infer<typeof DeployStatusSchema>;

export const LogLineSchema = z.object({ ts: z.iso.datetime({ offset: true }), stream: LogLineStreamSchema, line: z.string().max(65_536) });
export type LogLine = z.infer<typeof LogLineSchema>;

export const LogStreamSchema = z.object({
  service_id: z.string().max(100),
  deployment_id: z.string().max(100).nullable(),
  lines: z.array(LogLineSchema).max(10_000),
});

/** Items of a telemetry batch. Host samples are `metric` items named `host.*` without a service id. */
export const TelemetryItemSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('metric'),
    ts: z.iso.datetime({ offset: true }),
    name: z.string().max(200),
    value: z.number(),
    service_id: z.string().max(100).nullable().optional(),
    labels: z.record(z.string(), z.string().max(500)).optional(),
  }),
  z.object({
    kind: z.literal('log'),
    ts: z.iso.datetime({ offset: true }),
    service_id: z.string().max(100),
    deployment_id: z.string().max(100).nullable().optional(),
    stream: LogLineStreamSchema,
    line: z.string().max(65_536),
  }),
  z.object({
    kind: z.literal('health_check'),
    ts: z.iso.datetime({ offset: true }),
    service_id: z.string().max(100),
    healthy: z.boolean(),
    status_code: z.number().int().nullable().optional(),
    response_ms: z.number().min(0).nullable().optional(),
    error: z.string().max(2000).nullable().optional(),
  }),
]);
export type TelemetryItem = z.infer<typeof TelemetryItemSchema>;

export const TelemetryBatchSchema = z.object({
  seq: z.number().int().min(1),
  items: z.array(TelemetryItemSchema).max(50_000),
});
export type TelemetryBatch = z.infer<typeof TelemetryBatchSchema>;

export const CommandErrorSchema = z.object({ code: z.string().max(64), message: z.string().max(10_000) });
export type CommandError = z.infer<typeof CommandErrorSchema>;

export const CommandResponseSchema = z.object({
  request_id: z.uuid(),
  ok: z.boolean(),
  data: z.unknown().optional(),
  error: CommandErrorSchema.optional(),
});
export type CommandResponse = z.infer<typeof CommandResponseSchema>;

export const ALERT_KINDS = ['disk_high', 'memory_high', 'cpu_high', 'service_crashed', 'health_failed', 'agent_warning'] as const;
export const AlertSchema = z.object({
  kind: z.enum(ALERT_KINDS),
  severity: z.enum(['info', 'warning', 'critical']),
  message: z.string().max(2000),
  service_id: z.string().max(100).optional(),
});

export const TerminalOpenedSchema = z.object({ session_id: z.uuid(), pid: z.number().int() });
export const TerminalExitSchema = z.object({ session_id: z.uuid(), exit_code: z.number().int().nullable(), signal: z.string().max(20).nullable() });
