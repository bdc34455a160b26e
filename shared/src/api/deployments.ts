import { z } from 'zod';
import { DeploymentStatusSchema, LogLineStreamSchema } from '../contract-values.js';
import { GitRefSchema } from '../git/index.js';
import { IdSchema, PageQuerySchema, TimestampSchema } from './common.js';
import { queryInt4, storableDateTime } from './bounds.js';
import { trimmedText } from './strings.js';
import { DeploymentVerificationSchema } from './verification.js';

export const DeployBodySchema = z.object({
  git_ref: GitRefSchema.optional(),
  image_tag: trimmedText(255).min(1).optional(),
});
export const RollbackBodySchema = z.object({ deployment_id: IdSchema.optional() });

export const DeploymentCreatedSchema = z.object({ id: IdSchema, status: DeploymentStatusSchema, created_at: TimestampSchema });

export const DeploymentSchema = z.object({
  id: IdSchema,
  service_id: IdSchema,
  status: DeploymentStatusSchema,
  trigger_type: z.string(),
  triggered_by: IdSchema.nullable(),
  git_ref: z.string().nullable(),
  git_branch: z.string().nullable(),
  git_commit_sha: z.string().nullable(),
  git_commit_message: z.string().nullable(),
  image_digest: z.string().nullable(),
  artifact_id: IdSchema.nullable(),
  rollback_from_id: IdSchema.nullable(),
  error_message: z.string().nullable(),
  build_duration_ms: z.number().int().nullable(),
  deploy_duration_ms: z.number().int().nullable(),
  /** Milliseconds spent in each status, as far as the deployment got. */
  phases: z.record(z.string(), z.number()),
  created_at: TimestampSchema,
  started_at: TimestampSchema.nullable(),
  finished_at: TimestampSchema.nullable(),
  /** Post-deploy verification (issue 14): null when the service's `verify` setting was off (or nothing to compare with). */
  verification: DeploymentVerificationSchema.nullable(),
});
export type Deployment = z.infer<typeof DeploymentSchema>;

/** A deployment in the organisation-wide list, with what a reader needs to place it. */
export const OrgDeploymentSchema = DeploymentSchema.extend({
  service_name: z.string(),
  project_id: IdSchema,
  project_name: z.string(),
  server_id: IdSchema,
  /** The version its service serves now (an older `running` one has since been replaced). */
  is_current: z.boolean(),
});
export type OrgDeployment = z.infer<typeof OrgDeploymentSchema>;

export const OrgDeploymentsQuerySchema = PageQuerySchema.extend({
  status: DeploymentStatusSchema.optional(),
  server_id: IdSchema.optional(),
  project_id: IdSchema.optional(),
  /** Only each service's newest deployment (e.g. with status=failed: services whose last deploy failed). */
  latest: z.enum(['true', 'false']).optional().transform((v) => v === 'true'),
});
export type OrgDeploymentsQuery = z.infer<typeof OrgDeploymentsQuerySchema>;

export const DeploymentLogLineSchema = z.object({
  seq: z.number().int(),
  ts: TimestampSchema,
  stream: LogLineStreamSchema,
  line: z.string(),
});
export type DeploymentLogLine = z.infer<typeof DeploymentLogLineSchema>;

/** `after` pages forward from a sequence number; `tail` returns the last N lines (the default view). */
export const LogPageQuerySchema = z.object({
  /** Log line numbers are int4 (`deployment_logs.seq`). */
  after: queryInt4(0).optional(),
  tail: queryInt4(1, 5000).optional(),
  limit: queryInt4(1, 5000).default(1000),
});
export const LogPageSchema = z.object({
  lines: z.array(DeploymentLogLineSchema),
  total_lines: z.number().int(),
  total_bytes: z.number().int(),
  next_after: z.number().int().nullable(),
});

export const DeploymentWithLogsSchema = DeploymentSchema.extend({ logs: LogPageSchema });

export const DeploymentDiffSchema = z.object({
  from: IdSchema,
  to: IdSchema,
  commits: z.object({
    from_sha: z.string().nullable(),
    to_sha: z.string().nullable(),
    messages: z.array(z.object({ sha: z.string(), message: z.string() })),
    /** False when the range could not be read from the repository (shows only the two ends). */
    complete: z.boolean(),
  }),
  env: z.object({ added: z.array(z.string()), removed: z.array(z.string()), changed: z.array(z.string()) }),
  image_digest: z.object({ from: z.string().nullable(), to: z.string().nullable() }),
});

export const RuntimeLogQuerySchema = z.object({
  since: storableDateTime().optional(),
  until: storableDateTime().optional(),
  tail: queryInt4(1, 5000).default(200),
});
export const RuntimeLogLineSchema = z.object({
  ts: TimestampSchema,
  deployment_id: IdSchema.nullable(),
  stream: z.string(),
  line: z.string(),
});

/**
 * `POST /services/:serviceId/restart`: the running deployment's instances are started afresh on
 * each server it runs on (the agent's `service.restart`: new instances beside the old, health
 * checked, then traffic switched), without a new build or deployment.
 */
export const ServiceRestartSchema = z.object({
  service_id: IdSchema,
  deployment_id: IdSchema,
  /** One agent command per server; its outcome: GET /servers/:serverId/commands/:commandId. */
  commands: z.array(z.object({ server_id: IdSchema, command_id: IdSchema, status: z.string() })),
});
export type ServiceRestart = z.infer<typeof ServiceRestartSchema>;
