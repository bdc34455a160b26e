import { z } from 'zod';
import { ServiceRuntimeSchema, ServiceSourceTypeSchema } from '../contract-values.js';
import { GitBranchSchema } from '../git/index.js';
import { IdSchema, SerialKeysetPageQuerySchema, TimestampSchema } from './common.js';
import { int4 } from './bounds.js';
import { text, trimmedText } from './strings.js';
import { VerifySettingsSchema } from './verification.js';

/** A DNS hostname (lowercase, at least two labels, optional leading `*.` wildcard). */
export const HostnameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(253)
  .regex(/^(\*\.)?(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))+$/, 'a hostname such as app.example.com');

export const HealthCheckConfigSchema = z.object({
  path: text(255).startsWith('/').nullable(),
  interval_seconds: int4(1, 3600),
  timeout_seconds: int4(1, 300),
  retries: int4(1, 100),
});

/** Kubernetes-style quantities: CPU `0.5` / `500m`, memory `512m` / `1g` / `256Mi`. */
const CpuLimitSchema = text(20).regex(/^\d+(\.\d+)?m?$/, 'CPU cores such as 0.5 or 500m');
const MemoryLimitSchema = text(20).regex(/^\d+(\.\d+)?([kmg]i?b?)?$/i, 'memory such as 512m or 1g');

export const ServiceSchema = z.object({
  id: IdSchema,
  project_id: IdSchema,
  server_id: IdSchema,
  name: z.string(),
  source_type: ServiceSourceTypeSchema,
  runtime: ServiceRuntimeSchema,
  git_branch: z.string().nullable(),
  build_context: z.string(),
  dockerfile_path: z.string(),
  image_name: z.string().nullable(),
  image_tag: z.string().nullable(),
  start_command: z.string().nullable(),
  port: z.number().int().nullable(),
  replicas: z.number().int(),
  cpu_limit: z.string().nullable(),
  memory_limit: z.string().nullable(),
  domains: z.array(z.string()),
  health_check: HealthCheckConfigSchema,
  auto_deploy: z.boolean(),
  /** Post-deploy verification (issue 14); null: off. */
  verify: VerifySettingsSchema.nullable(),
  current_deployment_id: IdSchema.nullable(),
  created_at: TimestampSchema,
  updated_at: TimestampSchema,
});
/** A service in a server's list, with its project's name. */
export const ServiceOnServerSchema = ServiceSchema.extend({ project_name: z.string() });

export type Service = z.infer<typeof ServiceSchema>;

const DOCKER_ONLY = { message: 'dockerfile and image services run on the docker runtime', path: ['runtime'] };

const serviceFields = {
  name: trimmedText(100).min(1).regex(/^[a-zA-Z0-9][\w .-]*$/, 'letters, digits, spaces, dots, dashes'),
  server_id: IdSchema,
  source_type: ServiceSourceTypeSchema,
  /** Defaults to `process` for auto-detected sources and to `docker` for `dockerfile`/`image`. */
  runtime: ServiceRuntimeSchema,
  /** Overrides the project's branch for this service. */
  git_branch: GitBranchSchema.nullable(),
  build_context: text(500).regex(/^(?!\/)(?!.*\.\.)/, 'a path inside the repository'),
  dockerfile_path: text(500).regex(/^(?!\/)(?!.*\.\.)/, 'a path inside the repository'),
  image_name: text(500).nullable(),
  image_tag: text(255).nullable(),
  start_command: text(2000).nullable(),
  /** The stable port the agent's edge serves this service on. */
  port: int4(1, 65535).nullable(),
  replicas: int4(1, 20),
  cpu_limit: CpuLimitSchema.nullable(),
  memory_limit: MemoryLimitSchema.nullable(),
  domains: z.array(HostnameSchema).max(50),
  health_check: HealthCheckConfigSchema.partial(),
  auto_deploy: z.boolean(),
  /** Post-deploy verification: the object replaces the setting (omitted fields take their defaults); null turns it off. */
  verify: VerifySettingsSchema.nullable(),
};

export const CreateServiceBodySchema = z
  .object(serviceFields)
  .partial()
  .required({ name: true, server_id: true })
  .refine((b) => b.source_type !== 'image' || !!b.image_name, { message: 'image services need image_name', path: ['image_name'] })
  .refine((b) => !(b.runtime === 'process' && (b.source_type === 'dockerfile' || b.source_type === 'image')), DOCKER_ONLY);
export type CreateServiceBody = z.infer<typeof CreateServiceBodySchema>;

export const UpdateServiceBodySchema = z
  .object(serviceFields)
  .omit({ server_id: true })
  .partial()
  .refine((b) => Object.keys(b).length > 0, 'nothing to update')
  .refine((b) => !(b.runtime === 'process' && (b.source_type === 'dockerfile' || b.source_type === 'image')), DOCKER_ONLY);
export type UpdateServiceBody = z.infer<typeof UpdateServiceBodySchema>;

export const EnvKeySchema = text(128).regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/, 'letters, digits and underscores, not starting with a digit');
/** NUL cannot be passed to a process's environment either (execve refuses it). */
export const EnvValueSchema = text(32_768);

/** Values are null (and `masked` true) unless the caller holds `env.reveal` by role and by token scope (`write`). */
export const EnvVarsSchema = z.object({
  masked: z.boolean(),
  vars: z.array(z.object({ key: z.string(), value: z.string().nullable() })),
});
export const PutEnvBodySchema = z.object({ vars: z.record(EnvKeySchema, EnvValueSchema) });
export const PatchEnvBodySchema = z
  .object({ set: z.record(EnvKeySchema, EnvValueSchema).default({}), unset: z.array(EnvKeySchema).default([]) })
  .refine((b) => Object.keys(b.set).length + b.unset.length > 0, 'nothing to change');

/** One recorded health probe of a service: from a deploy's health gate or the agent's periodic checks. */
export const HealthCheckResultSchema = z.object({
  id: z.string().describe('opaque, increasing'),
  checked_at: TimestampSchema,
  healthy: z.boolean(),
  /** The HTTP status, or null for a TCP check or when nothing answered. */
  status_code: z.number().int().nullable(),
  response_time_ms: z.number().int(),
  error: z.string().nullable(),
});
export type HealthCheckResult = z.infer<typeof HealthCheckResultSchema>;

/** Health checks are keyed by (checked_at, bigserial id). */
export const HealthQuerySchema = SerialKeysetPageQuerySchema.extend({
  /** `false`: only failed probes. */
  healthy: z.enum(['true', 'false'], 'true or false').transform((v) => v === 'true').optional(),
});
export type HealthQuery = z.infer<typeof HealthQuerySchema>;
