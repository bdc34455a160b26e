import { z } from 'zod';
import { IssueLevelSchema, IssueStatusSchema, ISSUE_STATUSES, type IssueStatus } from '../contract-values.js';
import { IdSchema, PageQuerySchema, TimestampSchema } from './common.js';
import { queryInt4, storableDateTime } from './bounds.js';
import { trimmedText } from './strings.js';
import { AiAnalysisSchema } from './ai.js';

/** The deploy that introduced an issue: the deployment running its service when its first event happened. */
export const IssueDeploymentSchema = z.object({
  id: IdSchema,
  commit_sha: z.string().nullable(),
  commit_message: z.string().nullable(),
  /** Null: the pipeline does not record commit authors yet. */
  commit_author: z.string().nullable(),
  created_at: TimestampSchema,
});
export type IssueDeployment = z.infer<typeof IssueDeploymentSchema>;

/** An issue: the events of one service that share a fingerprint, grouped as Sentry does. */
export const IssueSchema = z.object({
  id: IdSchema,
  project_id: IdSchema,
  service_id: IdSchema,
  title: z.string(),
  /** Function and file of the top in-app frame (`handler (src/app.js)`), else the transaction or logger. */
  culprit: z.string().nullable(),
  exception_type: z.string().nullable(),
  level: IssueLevelSchema,
  status: IssueStatusSchema,
  first_seen_at: TimestampSchema,
  last_seen_at: TimestampSchema,
  event_count: z.number().int(),
  /** Distinct users (user.id, else email, else IP address), counted by hash. */
  user_count: z.number().int(),
  first_release: z.string().nullable(),
  last_release: z.string().nullable(),
  environments: z.array(z.string()),
  assigned_to: IdSchema.nullable(),
  /** Resolved "in the next release": events of the release current at resolve time do not regress it. */
  resolve_in_next_release: z.boolean(),
  /** Ignored until this time (then unresolved again), or null. */
  ignored_until_at: TimestampSchema.nullable(),
  /** Ignored until the issue reaches this many events in total, or null. */
  ignored_until_count: z.number().int().nullable(),
  resolved_at: TimestampSchema.nullable(),
  first_deployment: IssueDeploymentSchema.nullable(),
});
export type Issue = z.infer<typeof IssueSchema>;

/** An issue as lists show it: with sparkline counts, oldest first (the last entry is the current hour/day). */
export const IssueListItemSchema = IssueSchema.extend({
  /** Events per hour over the last 24 hours (24 entries). */
  stats_24h: z.array(z.number().int()).length(24),
  /** Events per day (UTC) over the last 14 days (14 entries). */
  stats_14d: z.array(z.number().int()).length(14),
});
export type IssueListItem = z.infer<typeof IssueListItemSchema>;

/** An issue's page: the list item plus the newest event, so the detail opens on it. */
export const IssueDetailSchema = IssueListItemSchema.extend({
  latest_event_id: z.string().nullable(),
  /** The AI analysis (issue 15): pending, done or failed; null until someone asks (or auto-analysis runs). */
  ai_analysis: AiAnalysisSchema.nullable(),
});
export type IssueDetail = z.infer<typeof IssueDetailSchema>;

export const ISSUE_SORTS = ['last_seen', 'first_seen', 'events', 'users'] as const;
export const IssueSortSchema = z.enum(ISSUE_SORTS);
export type IssueSort = z.infer<typeof IssueSortSchema>;

/**
 * The issue lists' cursor: `<sort key>~<issue id>` where the key is epoch milliseconds (last/first
 * seen) or a count (events/users), as next_cursor gave it. Opaque to clients; parsed by the server.
 */
export const ISSUE_CURSOR = /^(\d{1,16})~([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;
export const IssueCursorSchema = z
  .string()
  .max(60)
  .regex(ISSUE_CURSOR, 'not a cursor of this list (pass back next_cursor as it was given)');

/** `status=unresolved,regressed`: one status or several, comma-separated. */
const StatusListSchema = z
  .string()
  .max(100)
  .transform((v, ctx) => {
    const parts = v.split(',').map((s) => s.trim()).filter(Boolean);
    const bad = parts.find((p) => !(ISSUE_STATUSES as readonly string[]).includes(p));
    if (bad !== undefined || parts.length === 0) {
      ctx.addIssue({ code: 'custom', message: `status must be one or more of ${ISSUE_STATUSES.join(', ')}, comma-separated` });
      return z.NEVER;
    }
    return [...new Set(parts)] as IssueStatus[];
  });

/** Filters and order of the issue lists (a project's and the organisation's). */
export const IssuesQuerySchema = z.object({
  status: StatusListSchema.optional(),
  service_id: IdSchema.optional(),
  environment: trimmedText(100).min(1).optional(),
  release: trimmedText(200).min(1).optional(),
  level: IssueLevelSchema.optional(),
  /** Words searched in the title, culprit and message (case-insensitive). */
  q: trimmedText(200).min(1).optional(),
  sort: IssueSortSchema.default('last_seen'),
  limit: queryInt4(1, 100).default(25),
  cursor: IssueCursorSchema.optional(),
});
export type IssuesQuery = z.infer<typeof IssuesQuerySchema>;

/** The organisation-wide list also filters by project. */
export const OrgIssuesQuerySchema = IssuesQuerySchema.extend({ project_id: IdSchema.optional() });
export type OrgIssuesQuery = z.infer<typeof OrgIssuesQuerySchema>;

/** Issues that first appeared after a deployment (newest first). */
export const DeploymentIssuesQuerySchema = PageQuerySchema;

/**
 * A change of state. `status: 'resolved'` with `resolve_in_next_release: true` resolves in the next
 * release; `status: 'ignored'` may last until a time or a number of further events.
 */
export const IssuePatchSchema = z
  .object({
    status: IssueStatusSchema.exclude(['regressed']).optional(),
    assigned_to: IdSchema.nullable().optional(),
    resolve_in_next_release: z.boolean().optional(),
    /** With status `ignored`: unresolved again at this time. */
    ignore_until_at: storableDateTime().optional(),
    /** With status `ignored`: unresolved again after this many more events. */
    ignore_until_events: z.number().int().min(1).max(1_000_000_000).optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, 'name at least one of status, assigned_to, resolve_in_next_release')
  .refine(
    (b) => (b.ignore_until_at === undefined && b.ignore_until_events === undefined) || b.status === 'ignored',
    'ignore_until_at and ignore_until_events go with status "ignored"',
  );
export type IssuePatch = z.infer<typeof IssuePatchSchema>;

/** The same change for several issues of the organisation at once (all or none: an unknown id is a 404). */
export const IssueBulkPatchSchema = z
  .object({
    ids: z.array(IdSchema).min(1).max(100),
    status: IssueStatusSchema.exclude(['regressed']),
    resolve_in_next_release: z.boolean().optional(),
  })
  .strict();
export type IssueBulkPatch = z.infer<typeof IssueBulkPatchSchema>;
export const IssueBulkResultSchema = z.object({ items: z.array(IssueSchema) });

// Events.

/** `latest`, `oldest`, or the SDK's event id (32 hex; a dashed uuid is accepted too). */
export const EventIdParamSchema = z
  .string()
  .max(36)
  .regex(/^(latest|oldest|[0-9a-fA-F]{32}|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$/, 'an event id (32 hex), "latest" or "oldest"');

export const EventSummarySchema = z.object({
  event_id: z.string(),
  issue_id: IdSchema,
  timestamp: TimestampSchema,
  level: IssueLevelSchema,
  /** The exception `Type: value`, or the message. */
  message: z.string().nullable(),
  environment: z.string().nullable(),
  release: z.string().nullable(),
  /** The deployment that was running the service at the event's time, or null. */
  deployment_id: IdSchema.nullable(),
});
export type EventSummary = z.infer<typeof EventSummarySchema>;

export const EventsQuerySchema = PageQuerySchema;

export const StackFrameSchema = z.object({
  filename: z.string().nullable(),
  abs_path: z.string().nullable(),
  module: z.string().nullable(),
  function: z.string().nullable(),
  lineno: z.number().int().nullable(),
  colno: z.number().int().nullable(),
  in_app: z.boolean(),
  context_line: z.string().nullable(),
  pre_context: z.array(z.string()),
  post_context: z.array(z.string()),
});
export type StackFrame = z.infer<typeof StackFrameSchema>;

export const EventExceptionSchema = z.object({
  type: z.string().nullable(),
  value: z.string().nullable(),
  module: z.string().nullable(),
  mechanism: z.object({ type: z.string().nullable(), handled: z.boolean().nullable() }).nullable(),
  /** Sentry's order: the outermost call first, the frame that threw last. */
  frames: z.array(StackFrameSchema),
});
export type EventException = z.infer<typeof EventExceptionSchema>;

export const BreadcrumbSchema = z.object({
  timestamp: TimestampSchema.nullable(),
  type: z.string().nullable(),
  category: z.string().nullable(),
  level: z.string().nullable(),
  message: z.string().nullable(),
  data: z.record(z.string(), z.unknown()).nullable(),
});
export type Breadcrumb = z.infer<typeof BreadcrumbSchema>;

export const EventRequestSchema = z.object({
  url: z.string().nullable(),
  method: z.string().nullable(),
  query_string: z.string().nullable(),
  /** Header values of Authorization, Cookie and the like are shown as "[Filtered]". */
  headers: z.record(z.string(), z.string()),
  data: z.unknown().nullable(),
});

export const EventUserSchema = z.object({
  id: z.string().nullable(),
  email: z.string().nullable(),
  username: z.string().nullable(),
  ip_address: z.string().nullable(),
});

/** One event in full, as the issue page shows it. */
export const EventDetailSchema = EventSummarySchema.extend({
  received_at: TimestampSchema.nullable(),
  /** The trace the error happened in (`contexts.trace.trace_id`, 32 hex): GET /api/v1/traces/:traceId. */
  trace_id: z.string().nullable(),
  platform: z.string().nullable(),
  /** Sentry's order: causes first, the exception that was thrown last. */
  exceptions: z.array(EventExceptionSchema),
  /** The message template (`logentry.message`) and the formatted message, for message events. */
  message_template: z.string().nullable(),
  breadcrumbs: z.array(BreadcrumbSchema),
  tags: z.record(z.string(), z.string()),
  contexts: z.record(z.string(), z.unknown()),
  extra: z.record(z.string(), z.unknown()),
  request: EventRequestSchema.nullable(),
  user: EventUserSchema.nullable(),
  sdk: z.object({ name: z.string().nullable(), version: z.string().nullable() }).nullable(),
  server_name: z.string().nullable(),
  transaction: z.string().nullable(),
  logger: z.string().nullable(),
  /** The client fingerprint, if the SDK sent one. */
  fingerprint: z.array(z.string()).nullable(),
  /** What grouped it: a client fingerprint, the in-app frames, the exception type and value, or the message. */
  grouping: z.enum(['fingerprint', 'stacktrace', 'exception', 'message']),
  attachments: z.array(z.object({ filename: z.string(), content_type: z.string().nullable(), size: z.number().int() })),
  /** The neighbouring events of the same issue (by time), for older/newer navigation. */
  older_event_id: z.string().nullable(),
  newer_event_id: z.string().nullable(),
});
export type EventDetail = z.infer<typeof EventDetailSchema>;

// Retention.

/** How long an organisation keeps error events (issues not seen since go with them). */
export const ErrorRetentionSchema = z.object({
  retention_days: z.number().int(),
  /** True when the organisation has not chosen (the default applies). */
  is_default: z.boolean(),
  last_pruned_at: TimestampSchema.nullable(),
});
export type ErrorRetention = z.infer<typeof ErrorRetentionSchema>;
export const ErrorRetentionBodySchema = z.object({ retention_days: z.number().int().min(1).max(365) }).strict();
