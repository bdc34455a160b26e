import { z } from 'zod';
import { IdSchema, TimestampSchema } from './common.js';
import { int4, JsonObjectSchema, queryInt4, storableDateTime } from './bounds.js';
import { trimmedText } from './strings.js';

// ---- rules (issue 14) ----

export const ALERT_RULE_KINDS = [
  'metric_threshold',
  'log_match',
  'new_issue',
  'issue_regressed',
  'error_rate',
  'health_failing',
  'server_offline',
  'deploy_failed',
  'deploy_succeeded',
  'deploy_regressed',
] as const;
export const AlertRuleKindSchema = z.enum(ALERT_RULE_KINDS);
export type AlertRuleKind = z.infer<typeof AlertRuleKindSchema>;

/** Kinds that fire from an event as it happens (within seconds), not at the next scheduled evaluation. */
export const EVENT_ALERT_KINDS: readonly AlertRuleKind[] = ['new_issue', 'issue_regressed', 'deploy_failed', 'deploy_succeeded', 'server_offline', 'deploy_regressed'];

export const ALERT_SEVERITIES = ['critical', 'warning', 'info'] as const;
export const AlertSeveritySchema = z.enum(ALERT_SEVERITIES);
export type AlertSeverity = z.infer<typeof AlertSeveritySchema>;

export const ALERT_EVENT_STATUSES = ['pending', 'firing', 'resolved'] as const;
export const AlertEventStatusSchema = z.enum(ALERT_EVENT_STATUSES);
export type AlertEventStatus = z.infer<typeof AlertEventStatusSchema>;

const Comparator = z.enum(['>', '>=', '<', '<=']);
/** Windows from one minute to one day. */
const WindowSeconds = int4(60, 86_400);
const Threshold = z.number().finite();

/** Host metrics from agents; service metrics from spans; anything else names an OTLP metric. */
export const METRIC_SOURCES = ['host.cpu_percent', 'host.memory_percent', 'host.disk_percent', 'service.latency_p95_ms', 'service.error_rate', 'otlp'] as const;

export const ALERT_CONDITION_SCHEMAS = {
  metric_threshold: z
    .object({
      metric: z.enum(METRIC_SOURCES),
      /** The OTLP metric name when `metric` is `otlp`. */
      otlp_metric: trimmedText(200).min(1).optional(),
      aggregate: z.enum(['avg', 'max', 'min', 'sum', 'p95', 'last']).default('avg'),
      window_seconds: WindowSeconds,
      op: Comparator,
      threshold: Threshold,
      /** Resolves only once the value is back past this (hysteresis); default: the threshold. */
      resolve_threshold: Threshold.optional(),
    })
    .strict()
    .refine((c) => c.metric !== 'otlp' || c.otlp_metric, { message: 'otlp_metric is required when metric is "otlp"', path: ['otlp_metric'] }),
  log_match: z
    .object({ query: trimmedText(500).min(1), window_seconds: WindowSeconds, op: Comparator.default('>'), threshold: int4(0, 10_000_000) })
    .strict(),
  new_issue: z.object({ level: z.enum(['fatal', 'error', 'warning', 'info', 'debug']).optional(), environment: trimmedText(64).min(1).optional() }).strict(),
  issue_regressed: z.object({ environment: trimmedText(64).min(1).optional() }).strict(),
  error_rate: z
    .object({ issue_id: IdSchema.optional(), window_seconds: WindowSeconds, per_minute_above: z.number().finite().min(0) })
    .strict(),
  health_failing: z
    .object({
      /** N failed checks in a row… */
      consecutive_failures: int4(1, 1000).optional(),
      /** …or uptime under this percentage over `window_seconds`. */
      uptime_below_pct: z.number().min(0).max(100).optional(),
      window_seconds: WindowSeconds.optional(),
    })
    .strict()
    .refine((c) => c.consecutive_failures !== undefined || c.uptime_below_pct !== undefined, {
      message: 'give consecutive_failures or uptime_below_pct',
      path: ['consecutive_failures'],
    })
    .refine((c) => c.uptime_below_pct === undefined || c.window_seconds !== undefined, { message: 'window_seconds is required with uptime_below_pct', path: ['window_seconds'] }),
  server_offline: z.object({ offline_seconds: int4(0, 86_400).default(0) }).strict(),
  deploy_failed: z.object({}).strict(),
  deploy_succeeded: z.object({}).strict(),
  /** A deployment failed its post-deploy verification (the service's `verify` setting). */
  deploy_regressed: z.object({}).strict(),
} as const satisfies Record<AlertRuleKind, z.ZodType>;

export type AlertCondition<K extends AlertRuleKind = AlertRuleKind> = z.infer<(typeof ALERT_CONDITION_SCHEMAS)[K]>;

/** What a rule watches: one server, service or project, or (empty) the whole organisation. */
export const AlertScopeSchema = z
  .object({ server_id: IdSchema.optional(), service_id: IdSchema.optional(), project_id: IdSchema.optional() })
  .strict()
  .refine((s) => [s.server_id, s.service_id, s.project_id].filter(Boolean).length <= 1, 'give at most one of server_id, service_id, project_id');
export type AlertScope = z.infer<typeof AlertScopeSchema>;

const RuleName = trimmedText(200).min(1);
const ChannelIds = z.array(IdSchema).max(20);

const ruleFields = {
  name: RuleName,
  scope: AlertScopeSchema.default({}),
  severity: AlertSeveritySchema.default('warning'),
  for_seconds: int4(0, 86_400).default(0),
  cooldown_seconds: int4(0, 604_800).default(300),
  channel_ids: ChannelIds.default([]),
  enabled: z.boolean().default(true),
};

/** Issues of a condition for its kind, as issues of the body's `condition` field (the 400 names `condition.<field>`). */
export function conditionIssues(kind: AlertRuleKind, condition: unknown): Array<{ path: PropertyKey[]; message: string }> {
  const r = ALERT_CONDITION_SCHEMAS[kind].safeParse(condition);
  return r.success ? [] : r.error.issues.map((i) => ({ path: ['condition', ...i.path], message: i.message }));
}

/**
 * A rule as created. One object for every kind (not a union per kind: the kind picks the
 * condition's schema, checked below), so the other fields mean the same whatever the kind.
 */
export const CreateAlertRuleBodySchema = z
  .object({ ...ruleFields, kind: AlertRuleKindSchema, condition: JsonObjectSchema.default({}) })
  .strict()
  .superRefine((b, ctx) => {
    for (const issue of conditionIssues(b.kind, b.condition)) ctx.addIssue({ code: 'custom', ...issue });
  });
export type CreateAlertRuleBody = z.infer<typeof CreateAlertRuleBodySchema>;

/** The kind is fixed once created; a new condition is checked against it. */
export const UpdateAlertRuleBodySchema = z
  .object({
    name: RuleName.optional(),
    scope: AlertScopeSchema.optional(),
    condition: JsonObjectSchema.optional(),
    severity: AlertSeveritySchema.optional(),
    for_seconds: int4(0, 86_400).optional(),
    cooldown_seconds: int4(0, 604_800).optional(),
    channel_ids: ChannelIds.optional(),
    enabled: z.boolean().optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, 'give at least one field to change');
export type UpdateAlertRuleBody = z.infer<typeof UpdateAlertRuleBodySchema>;

export const AlertRuleSchema = z.object({
  id: IdSchema,
  org_id: IdSchema,
  name: z.string(),
  kind: AlertRuleKindSchema,
  scope: z.object({ server_id: IdSchema.optional(), service_id: IdSchema.optional(), project_id: IdSchema.optional() }),
  condition: z.record(z.string(), z.unknown()),
  severity: AlertSeveritySchema,
  for_seconds: z.number().int(),
  cooldown_seconds: z.number().int(),
  channel_ids: z.array(IdSchema),
  enabled: z.boolean(),
  last_evaluated_at: TimestampSchema.nullable(),
  created_at: TimestampSchema,
  updated_at: TimestampSchema,
});
export type AlertRule = z.infer<typeof AlertRuleSchema>;

/** How often a rule would have fired over the last 24 h of stored data (the editor's preview). */
export const AlertRulePreviewSchema = z.object({
  supported: z.boolean(),
  /** Why there is no preview (event kinds fire per event; some conditions read no stored series). */
  note: z.string().nullable(),
  step_seconds: z.number().int(),
  evaluations: z.number().int(),
  /** Evaluations where the condition held. */
  active_evaluations: z.number().int(),
  /** Times it would have started firing (for_seconds respected). */
  firings: z.number().int(),
  fired_at: z.array(TimestampSchema),
});
export type AlertRulePreview = z.infer<typeof AlertRulePreviewSchema>;

// ---- events ----

export const AlertEventSchema = z.object({
  id: IdSchema,
  rule_id: IdSchema,
  rule_name: z.string(),
  kind: AlertRuleKindSchema,
  status: AlertEventStatusSchema,
  severity: AlertSeveritySchema,
  service_id: IdSchema.nullable(),
  server_id: IdSchema.nullable(),
  summary: z.string(),
  values: z.record(z.string(), z.unknown()),
  started_at: TimestampSchema,
  fired_at: TimestampSchema.nullable(),
  resolved_at: TimestampSchema.nullable(),
  acknowledged_by: IdSchema.nullable(),
  acknowledged_at: TimestampSchema.nullable(),
  silenced: z.boolean(),
});
export type AlertEvent = z.infer<typeof AlertEventSchema>;

export const AlertEventListQuerySchema = z
  .object({
    rule_id: IdSchema.optional(),
    status: AlertEventStatusSchema.optional(),
    from: storableDateTime({ offset: true }).optional(),
    to: storableDateTime({ offset: true }).optional(),
    limit: queryInt4(1, 200).default(50),
  })
  .refine((q) => !q.from || !q.to || Date.parse(q.from) < Date.parse(q.to), { message: 'from must be before to', path: ['from'] });
export type AlertEventListQuery = z.infer<typeof AlertEventListQuerySchema>;

export const NotificationAttemptSchema = z.object({
  attempt: z.number().int(),
  at: TimestampSchema,
  status_code: z.number().int().nullable(),
  error: z.string().nullable(),
  duration_ms: z.number().int(),
});

export const NotificationDeliverySchema = z.object({
  id: IdSchema,
  channel_id: IdSchema.nullable(),
  channel_name: z.string(),
  channel_kind: z.string(),
  topic: z.string(),
  status: z.enum(['pending', 'delivered', 'failed']),
  attempts: z.array(NotificationAttemptSchema),
  delivered_at: TimestampSchema.nullable(),
  created_at: TimestampSchema,
});
export type NotificationDelivery = z.infer<typeof NotificationDeliverySchema>;

export const AlertEventDetailSchema = AlertEventSchema.extend({ deliveries: z.array(NotificationDeliverySchema) });

// ---- silences ----

export const CreateSilenceBodySchema = z
  .object({
    rule_id: IdSchema.optional(),
    scope: AlertScopeSchema.optional(),
    until: storableDateTime({ offset: true }).refine((v) => Date.parse(v) > Date.now(), 'until must be in the future'),
    comment: trimmedText(500).optional(),
  })
  .strict()
  .refine((b) => b.rule_id !== undefined || b.scope !== undefined, 'give rule_id or scope');
export type CreateSilenceBody = z.infer<typeof CreateSilenceBodySchema>;

export const SilenceSchema = z.object({
  id: IdSchema,
  rule_id: IdSchema.nullable(),
  scope: z.object({ server_id: IdSchema.optional(), service_id: IdSchema.optional(), project_id: IdSchema.optional() }),
  until: TimestampSchema,
  comment: z.string().nullable(),
  created_by: IdSchema.nullable(),
  created_at: TimestampSchema,
});
export type Silence = z.infer<typeof SilenceSchema>;

// ---- notification channels ----

export const NOTIFICATION_CHANNEL_KINDS = ['webhook', 'slack', 'discord', 'email', 'pagerduty'] as const;
export const NotificationChannelKindSchema = z.enum(NOTIFICATION_CHANNEL_KINDS);
export type NotificationChannelKind = z.infer<typeof NotificationChannelKindSchema>;

const HttpUrl = z
  .url({ protocol: /^https?$/ })
  .max(2000)
  .describe('an http(s) URL');

/** Per kind: the config, and which of its fields are secrets (sealed at rest, never returned). */
export const CHANNEL_CONFIG_SCHEMAS = {
  webhook: z.object({ url: HttpUrl, secret: z.string().min(16).max(200) }).strict(),
  slack: z.object({ webhook_url: HttpUrl }).strict(),
  discord: z.object({ webhook_url: HttpUrl }).strict(),
  email: z.object({ to: z.array(z.email().max(254)).min(1).max(20) }).strict(),
  pagerduty: z.object({ routing_key: z.string().trim().min(8).max(100) }).strict(),
} as const satisfies Record<NotificationChannelKind, z.ZodType>;

export const CHANNEL_SECRET_FIELDS: Record<NotificationChannelKind, readonly string[]> = {
  webhook: ['secret'],
  slack: ['webhook_url'],
  discord: ['webhook_url'],
  email: [],
  pagerduty: ['routing_key'],
};

/** Deploy notifications (seed): which of a deployment's steps this channel hears about. */
export const DEPLOY_NOTIFICATION_EVENTS = ['started', 'succeeded', 'failed'] as const;
const DeployEvents = z.array(z.enum(DEPLOY_NOTIFICATION_EVENTS)).max(3);

const ChannelName = trimmedText(200).min(1);

export const CreateNotificationChannelBodySchema = z.discriminatedUnion('kind', [
  z.object({ name: ChannelName, kind: z.literal('webhook'), config: CHANNEL_CONFIG_SCHEMAS.webhook, deploy_events: DeployEvents.default([]) }).strict(),
  z.object({ name: ChannelName, kind: z.literal('slack'), config: CHANNEL_CONFIG_SCHEMAS.slack, deploy_events: DeployEvents.default([]) }).strict(),
  z.object({ name: ChannelName, kind: z.literal('discord'), config: CHANNEL_CONFIG_SCHEMAS.discord, deploy_events: DeployEvents.default([]) }).strict(),
  z.object({ name: ChannelName, kind: z.literal('email'), config: CHANNEL_CONFIG_SCHEMAS.email, deploy_events: DeployEvents.default([]) }).strict(),
  z.object({ name: ChannelName, kind: z.literal('pagerduty'), config: CHANNEL_CONFIG_SCHEMAS.pagerduty, deploy_events: DeployEvents.default([]) }).strict(),
]);
export type CreateNotificationChannelBody = z.infer<typeof CreateNotificationChannelBodySchema>;

/** `config` fields given replace the stored ones; a secret left out keeps its stored value. */
export const UpdateNotificationChannelBodySchema = z
  .object({ name: ChannelName.optional(), config: JsonObjectSchema.optional(), deploy_events: DeployEvents.optional() })
  .strict()
  .refine((b) => Object.keys(b).length > 0, 'give at least one field to change');
export type UpdateNotificationChannelBody = z.infer<typeof UpdateNotificationChannelBodySchema>;

export const NotificationChannelSchema = z.object({
  id: IdSchema,
  org_id: IdSchema,
  name: z.string(),
  kind: NotificationChannelKindSchema,
  /** The config without its secrets. */
  config: z.record(z.string(), z.unknown()),
  /** Secret fields that are set (their values are never returned). */
  secrets_set: z.array(z.string()),
  deploy_events: z.array(z.enum(DEPLOY_NOTIFICATION_EVENTS)),
  created_at: TimestampSchema,
  updated_at: TimestampSchema,
});
export type NotificationChannel = z.infer<typeof NotificationChannelSchema>;

export const ChannelTestResultSchema = z.object({
  delivered: z.boolean(),
  status_code: z.number().int().nullable(),
  error: z.string().nullable(),
});

// ---- timeline ----

export const TimelineQuerySchema = z
  .object({ from: storableDateTime({ offset: true }).optional(), to: storableDateTime({ offset: true }).optional() })
  .refine((q) => !q.from || !q.to || Date.parse(q.from) < Date.parse(q.to), { message: 'from must be before to', path: ['from'] });

export const TIMELINE_ENTRY_KINDS = ['deploy', 'alert', 'health_failed', 'server_status', 'issue'] as const;
export const TimelineEntrySchema = z.object({
  at: TimestampSchema,
  kind: z.enum(TIMELINE_ENTRY_KINDS),
  title: z.string(),
  severity: z.enum(['critical', 'warning', 'info', 'ok']),
  ref: z.object({ type: z.string(), id: z.string() }).nullable(),
  detail: z.record(z.string(), z.unknown()),
});
/**
 * A series behind the entries, on the same time axis: a service's error events per minute (error
 * tracking) and p95 latency (spans); a server's CPU and memory (its agent's host metrics).
 * `points` are `[bucket start, unix ms; value]`, buckets of `step_seconds`, empty ones left out.
 */
export const TimelineSeriesSchema = z.object({
  key: z.enum(['error_events', 'latency_p95_ms', 'cpu_percent', 'memory_used_mb']),
  label: z.string(),
  unit: z.string(),
  step_seconds: z.number().int(),
  points: z.array(z.tuple([z.number(), z.number()])),
});
export type TimelineSeries = z.infer<typeof TimelineSeriesSchema>;
export const TimelineSchema = z.object({ from: TimestampSchema, to: TimestampSchema, entries: z.array(TimelineEntrySchema), series: z.array(TimelineSeriesSchema) });
export type Timeline = z.infer<typeof TimelineSchema>;
