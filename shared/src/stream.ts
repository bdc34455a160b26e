import { z } from 'zod';
import { DeploymentStatusSchema, IssueLevelSchema, IssueStatusSchema, LogLineStreamSchema, ServerStatusSchema } from './contract-values.js';
import { IdSchema, TimestampSchema } from './api/common.js';
import { ServerUsageSchema } from './api/servers.js';
import { AlertEventStatusSchema, AlertSeveritySchema } from './api/alerts.js';
import { LogRecordSchema } from './api/telemetry.js';
import { VerificationStatusSchema } from './api/verification.js';

/**
 * The console stream (`GET /api/v1/stream`, WebSocket): one definition per event, shared by the
 * backend, the console and the tray. Add an event by adding an entry to STREAM_EVENTS.
 */
export const STREAM_PATH = '/api/v1/stream';
/** Browsers cannot set headers on a WebSocket: they may send the bearer as this subprotocol prefix. */
export const STREAM_BEARER_PROTOCOL_PREFIX = 'syntra.bearer.';

const IssueAnnouncementSchema = z.object({
  issue_id: IdSchema,
  service_id: IdSchema,
  project_id: IdSchema,
  title: z.string(),
  level: IssueLevelSchema,
  /** The environment of the event that created or regressed it. */
  environment: z.string().nullable(),
  culprit: z.string().nullable(),
});

export const STREAM_EVENTS = {
  'server.status': z.object({
    server_id: IdSchema,
    name: z.string(),
    status: ServerStatusSchema,
    previous_status: ServerStatusSchema.nullable(),
    reason: z.string(),
  }),
  'server.metrics': z.object({ server_id: IdSchema, usage: ServerUsageSchema }),
  // Deploy pipeline (issue 4): live build/deploy log lines and status changes of a deployment.
  'deployment.log': z.object({
    deployment_id: IdSchema,
    service_id: IdSchema,
    lines: z.array(z.object({ seq: z.number().int(), ts: TimestampSchema, stream: LogLineStreamSchema, line: z.string() })),
  }),
  'deployment.status': z.object({
    deployment_id: IdSchema,
    service_id: IdSchema,
    status: DeploymentStatusSchema,
    previous_status: DeploymentStatusSchema.nullable(),
    error_message: z.string().nullable(),
  }),
  // Post-deploy verification (issue 14): a deployment's verification started or concluded.
  'deployment.verification': z.object({
    deployment_id: IdSchema,
    service_id: IdSchema,
    status: VerificationStatusSchema,
    reasons: z.array(z.string()),
    rollback_deployment_id: IdSchema.nullable(),
  }),
  // The newest health-check result of a service from an agent's telemetry batch (one per service per batch).
  'service.health': z.object({
    service_id: IdSchema,
    healthy: z.boolean(),
    checked_at: TimestampSchema,
    status_code: z.number().int().nullable(),
    response_time_ms: z.number().int(),
    error: z.string().nullable(),
  }),
  // Alerts (issue 14): an alert event was created or changed state (pending, firing, resolved, acknowledged).
  'alert.event': z.object({
    event_id: IdSchema,
    rule_id: IdSchema,
    rule_name: z.string(),
    status: AlertEventStatusSchema,
    severity: AlertSeveritySchema,
    service_id: IdSchema.optional(),
    server_id: IdSchema.optional(),
    started_at: TimestampSchema,
    resolved_at: TimestampSchema.optional(),
    summary: z.string(),
    // Beyond contract 6 (optional, additive): someone acknowledged it (the tray stops offering to).
    acknowledged: z.boolean().optional(),
  }),
  // Error tracking (issue 12): a new issue, or an event for a resolved one (the desktop notifies on both).
  'issue.created': IssueAnnouncementSchema,
  'issue.regressed': IssueAnnouncementSchema,
  // An issue's counts or state changed (new events, at most once per issue per processed batch; or a PATCH).
  'issue.updated': z.object({
    issue_id: IdSchema,
    service_id: IdSchema,
    project_id: IdSchema,
    status: IssueStatusSchema,
    event_count: z.number().int(),
    user_count: z.number().int(),
    last_seen_at: TimestampSchema,
    assigned_to: IdSchema.nullable(),
  }),
  // Live tail (issue 13): stored log lines of one service (null: lines with no service), at most a
  // few hundred per second each; `skipped` counts the lines left out to stay within that.
  'logs.tail': z.object({ service_id: IdSchema.nullable(), lines: z.array(LogRecordSchema).max(1000), skipped: z.number().int().min(0) }),
} as const;

export type StreamEventType = keyof typeof STREAM_EVENTS;
export type StreamEventData<T extends StreamEventType> = z.infer<(typeof STREAM_EVENTS)[T]>;

export interface StreamEvent<T extends StreamEventType = StreamEventType> {
  type: T;
  org_id: string;
  at: string;
  data: StreamEventData<T>;
}

export const StreamEventEnvelopeSchema = z.object({
  type: z.string(),
  org_id: IdSchema,
  at: TimestampSchema,
  data: z.unknown(),
});

export function parseStreamEvent(value: unknown): StreamEvent | null {
  const env = StreamEventEnvelopeSchema.safeParse(value);
  if (!env.success) return null;
  const schema = (STREAM_EVENTS as Record<string, z.ZodType>)[env.data.type];
  const data = schema?.safeParse(env.data.data);
  return data?.success ? ({ ...env.data, data: data.data } as StreamEvent) : null;
}

/** Client → server messages. `events` filters (default: every event type). */
export const StreamClientMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('subscribe'), org_id: IdSchema, events: z.array(z.string().max(64)).max(50).optional() }),
  z.object({ type: z.literal('unsubscribe'), org_id: IdSchema }),
  z.object({ type: z.literal('ping') }),
]);
export type StreamClientMessage = z.infer<typeof StreamClientMessageSchema>;

/** Server → client messages: an event, or a control message. */
export const StreamServerMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('subscribed'), org_id: IdSchema }),
  z.object({ type: z.literal('unsubscribed'), org_id: IdSchema }),
  z.object({ type: z.literal('pong') }),
  z.object({ type: z.literal('error'), code: z.string(), message: z.string(), org_id: IdSchema.optional() }),
]);
export type StreamServerMessage = z.infer<typeof StreamServerMessageSchema>;
