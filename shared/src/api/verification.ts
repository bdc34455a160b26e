import { z } from 'zod';
import { IdSchema, TimestampSchema } from './common.js';
import { int4 } from './bounds.js';

/**
 * Post-deploy verification (issue 14), a service setting: for `minutes` after a deploy turns running,
 * the new version is compared with the previous version's last hour. Off while the setting is null.
 */
export const VerifySettingsSchema = z
  .object({
    /** How long the new version is watched after it turns running. */
    minutes: int4(1, 1440).default(10),
    /** Error events per minute the new version may add over the previous version's last hour. */
    max_error_rate_increase: z.number().finite().min(0).max(1_000_000).default(1),
    /** How much higher (in percent) the new version's p95 latency (from spans) may be. */
    max_p95_increase_pct: z.number().finite().min(0).max(100_000).default(50),
    /** Any issue first seen in the new version fails it. */
    on_new_issues: z.boolean().default(true),
    /** A failed verification rolls back to the previous deployment. */
    auto_rollback: z.boolean().default(false),
  })
  .strict();
export type VerifySettings = z.output<typeof VerifySettingsSchema>;

/** `cancelled`: the deployment stopped serving (replaced, rolled back) before the check concluded. */
export const VERIFICATION_STATUSES = ['pending', 'passed', 'failed', 'cancelled'] as const;
export const VerificationStatusSchema = z.enum(VERIFICATION_STATUSES);
export type VerificationStatus = z.infer<typeof VerificationStatusSchema>;

/** What one version did in its window: error events per minute, p95 of its entry spans. */
export const VersionMeasureSchema = z.object({
  from: TimestampSchema,
  to: TimestampSchema,
  error_events: z.number().int(),
  error_rate_per_min: z.number(),
  /** Null without spans in the window. */
  p95_ms: z.number().nullable(),
  requests: z.number(),
});
export type VersionMeasure = z.infer<typeof VersionMeasureSchema>;

export const DeploymentVerificationSchema = z.object({
  status: VerificationStatusSchema,
  /** The version it is compared with (the one it replaced). */
  previous_deployment_id: IdSchema,
  /** When the new version went live; the previous version is measured from `baseline_from` to here. */
  started_at: TimestampSchema,
  /** The previous version's last hour before the deploy (shorter if it served for less). */
  baseline_from: TimestampSchema,
  ends_at: TimestampSchema,
  concluded_at: TimestampSchema.nullable(),
  /** Why it failed (or was cancelled); empty while pending and when it passed. */
  reasons: z.array(z.string()),
  settings: VerifySettingsSchema,
  /** The latest measurement: the previous version's hour before the deploy, the new version since. */
  measured: z
    .object({ baseline: VersionMeasureSchema, current: VersionMeasureSchema, new_issue_ids: z.array(IdSchema) })
    .nullable(),
  /** An automatic rollback after a failure: pending until its deployment exists. */
  rollback: z
    .object({ status: z.enum(['pending', 'started', 'failed']), deployment_id: IdSchema.nullable(), error: z.string().nullable() })
    .nullable(),
});
export type DeploymentVerification = z.infer<typeof DeploymentVerificationSchema>;
