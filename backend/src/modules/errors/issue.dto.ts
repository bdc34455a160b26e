import type { EventDetail, EventSummary, Issue, IssueListItem } from '@syntra/shared';
import { iso } from '../../lib/iso.js';
import type { DeploymentSummary } from '../deployments/index.js';
import type { ErrorGroupRow } from './errors.tables.js';
import { groupEvent } from './fingerprint.js';
import type { NormalizedEvent } from './normalized-event.js';
import type { StoredEvent, StoredEventHead } from './store/event-store.js';

export function toIssueDto(row: ErrorGroupRow, deployments: Map<string, DeploymentSummary>): Issue {
  const d = row.first_deployment_id ? deployments.get(row.first_deployment_id) : undefined;
  return {
    id: row.id,
    project_id: row.project_id,
    service_id: row.service_id,
    title: row.title,
    culprit: row.culprit,
    exception_type: row.exception_type,
    level: row.level,
    status: row.status,
    first_seen_at: iso(row.first_seen_at),
    last_seen_at: iso(row.last_seen_at),
    event_count: row.event_count,
    user_count: row.user_count,
    first_release: row.first_release,
    last_release: row.last_release,
    environments: row.environments,
    assigned_to: row.assigned_to,
    resolve_in_next_release: row.resolve_in_next_release,
    ignored_until_at: iso(row.ignored_until_at),
    ignored_until_count: row.ignored_until_count,
    resolved_at: iso(row.resolved_at),
    first_deployment: d
      ? { id: d.id, commit_sha: d.commitSha, commit_message: d.commitMessage, commit_author: null, created_at: iso(d.createdAt) }
      : null,
  };
}

const HOUR = 3_600_000;
const DAY = 86_400_000;

/** Sparkline arrays, oldest first, ending with the current hour / UTC day. */
export function sparklines(hourly: ReadonlyArray<{ hour: Date; count: number }>, now: Date): Pick<IssueListItem, 'stats_24h' | 'stats_14d'> {
  const thisHour = Math.floor(now.getTime() / HOUR) * HOUR;
  const today = Math.floor(now.getTime() / DAY) * DAY;
  const stats24 = new Array<number>(24).fill(0);
  const stats14 = new Array<number>(14).fill(0);
  for (const h of hourly) {
    const t = new Date(h.hour).getTime();
    const hi = 23 - Math.round((thisHour - t) / HOUR);
    if (hi >= 0 && hi < 24) stats24[hi]! += h.count;
    const di = 13 - Math.floor((today - Math.floor(t / DAY) * DAY) / DAY);
    if (di >= 0 && di < 14) stats14[di]! += h.count;
  }
  return { stats_24h: stats24, stats_14d: stats14 };
}

export function toEventSummaryDto(row: StoredEventHead): EventSummary {
  return {
    event_id: row.event_id,
    issue_id: row.error_group_id,
    timestamp: iso(row.timestamp),
    level: row.level,
    message: row.message,
    environment: row.environment,
    release: row.release,
    deployment_id: row.deployment_id,
  };
}

/** The stored payload: the normalised event as JSON (ClickHouse compresses the column). */
export function decodePayload(payload: string): NormalizedEvent {
  return JSON.parse(payload) as NormalizedEvent;
}

export function toEventDetailDto(row: StoredEvent, e: NormalizedEvent, nav: { older: string | null; newer: string | null }): EventDetail {
  return {
    ...toEventSummaryDto(row),
    received_at: iso(row.received_at),
    // The stored column, else the payload's trace context (events stored before the column existed).
    trace_id: row.trace_id ?? traceIdOf(e.contexts),
    platform: e.platform,
    exceptions: e.exceptions,
    message_template: e.message_template,
    breadcrumbs: e.breadcrumbs,
    tags: e.tags,
    contexts: e.contexts,
    extra: e.extra,
    request: e.request ? { ...e.request, data: e.request.data ?? null } : null,
    user: e.user,
    sdk: e.sdk,
    server_name: e.server_name,
    transaction: e.transaction,
    logger: e.logger,
    fingerprint: e.fingerprint,
    grouping: groupEvent(e).method,
    attachments: e.attachments,
    older_event_id: nav.older,
    newer_event_id: nav.newer,
  };
}

/** The event's trace id (32 hex, as the trace API takes it), from its trace context. */
function traceIdOf(contexts: Record<string, unknown>): string | null {
  const id = (contexts.trace as { trace_id?: unknown } | undefined)?.trace_id;
  return typeof id === 'string' && /^[0-9a-fA-F]{32}$/.test(id) ? id.toLowerCase() : null;
}
