import type { Knex } from 'knex';
import type { EventDetail, EventSummary, IssueBulkPatch, IssueDetail, IssueListItem, IssuePatch, IssuesQuery, OrgIssuesQuery, PageQuery } from '@syntra/shared';
import { type AiAnalysis, AiAnalysisSchema, ISSUE_CURSOR } from '@syntra/shared';
import { NotFoundError, ValidationError } from '../../errors.js';
import { decodeCursor, encodeCursor } from '../../lib/pagination.js';
import type { Logger } from '../../logger.js';
import type { AuditService } from '../audit/index.js';
import type { Actor } from '../orgs/index.js';
import type { StreamPublisher } from '../stream/index.js';
import type { ErrorGroupRow } from './errors.tables.js';
import { decodePayload, sparklines, toEventDetailDto, toEventSummaryDto, toIssueDto } from './issue.dto.js';
import { afterChange } from './issue-state.js';
import { issueUpdated } from './issue-events.js';
import type { IssueScope, IssueUpdate, IssuesRepo } from './issues.repo.js';
import type { DeploymentLookup, MemberCheck } from './ports.js';
import type { ErrorEventStore } from './store/event-store.js';

export interface IssueServiceDeps {
  db: Knex;
  issues: IssuesRepo;
  store: ErrorEventStore;
  deployments: DeploymentLookup;
  members: MemberCheck;
  audit: AuditService;
  stream: Pick<StreamPublisher, 'publish' | 'event'>;
  logger: Logger;
}

const SPARK_WINDOW_MS = 14 * 86_400_000;

function sortValue(row: ErrorGroupRow, sort: IssuesQuery['sort']): number {
  switch (sort) {
    case 'first_seen': return row.first_seen_at.getTime();
    case 'events': return row.event_count;
    case 'users': return row.user_count;
    default: return row.last_seen_at.getTime();
  }
}

/** An event id as a cursor's id (the keyset cursor takes uuids): 32 hex → dashed. */
function dashed(eventId: string): string {
  return `${eventId.slice(0, 8)}-${eventId.slice(8, 12)}-${eventId.slice(12, 16)}-${eventId.slice(16, 20)}-${eventId.slice(20, 32)}`;
}

/** An event id as stored: 32 lower-case hex (a dashed uuid is accepted). */
function eventRef(eventId: string) {
  if (eventId === 'latest' || eventId === 'oldest') return eventId;
  return { eventId: eventId.replace(/-/g, '').toLowerCase() };
}

/** An issue as the timeline and alerting see it: when it appeared and, while regressed, when it regressed. */
export interface NoticedIssue {
  id: string;
  service_id: string;
  project_id: string;
  title: string;
  culprit: string | null;
  level: ErrorGroupRow['level'];
  environments: string[];
  status: ErrorGroupRow['status'];
  first_seen_at: string;
  created_at: string;
  regressed_at: string | null;
  event_count: number;
}

/** The issues API: lists, detail, state changes, events. */
export class IssueService {
  constructor(private readonly deps: IssueServiceDeps) {}

  orgIdOf(issueId: string): Promise<string | null> {
    return this.deps.issues.orgIdOf(issueId);
  }

  listForProject(orgId: string, projectId: string, query: IssuesQuery) {
    return this.list({ orgId, projectId }, query);
  }

  listForOrg(orgId: string, query: OrgIssuesQuery) {
    return this.list({ orgId, projectId: query.project_id }, query);
  }

  private async list(scope: IssueScope, query: IssuesQuery): Promise<{ items: IssueListItem[]; next_cursor: string | null }> {
    let after: { value: number; id: string } | null = null;
    if (query.cursor) {
      const m = ISSUE_CURSOR.exec(query.cursor);
      if (!m) throw new ValidationError('Invalid cursor', { field: 'cursor' });
      after = { value: Number(m[1]), id: m[2]! };
    }
    const { limit, sort, cursor: _cursor, ...filters } = query;
    const rows = await this.deps.issues.list(scope, filters, sort, limit + 1, after);
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    const items = await this.listItems(page);
    return { items, next_cursor: rows.length > limit && last ? `${sortValue(last, sort)}~${last.id}` : null };
  }

  private async listItems(rows: ErrorGroupRow[]): Promise<IssueListItem[]> {
    const now = new Date();
    const [hourly, deployments] = await Promise.all([
      this.deps.issues.hourly(rows.map((r) => r.id), new Date(now.getTime() - SPARK_WINDOW_MS)),
      this.deps.deployments.summaries(rows.map((r) => r.first_deployment_id).filter((d): d is string => d !== null)),
    ]);
    const byIssue = new Map<string, Array<{ hour: Date; count: number }>>();
    for (const h of hourly) {
      const list = byIssue.get(h.error_group_id);
      if (list) list.push(h);
      else byIssue.set(h.error_group_id, [h]);
    }
    return rows.map((r) => ({ ...toIssueDto(r, deployments), ...sparklines(byIssue.get(r.id) ?? [], now) }));
  }

  private async detail(row: ErrorGroupRow): Promise<IssueDetail> {
    const [[item], latest] = await Promise.all([this.listItems([row]), this.deps.store.latestEventIds([row])]);
    return { ...item!, latest_event_id: latest.get(row.id) ?? null, ai_analysis: storedAnalysis(row.ai_analysis) };
  }

  private async found(orgId: string, issueId: string): Promise<ErrorGroupRow> {
    const row = await this.deps.issues.findInOrg(orgId, issueId);
    if (!row) throw new NotFoundError('Issue');
    return row;
  }

  /** New and regressed issues of the organisation (or one service) in [from, to): see IssuesRepo.noticedBetween. */
  async noticedBetween(orgId: string, where: { serviceId?: string | undefined }, from: Date, to: Date, opts: { since?: 'first_seen_at' | 'created_at'; limit?: number } = {}): Promise<NoticedIssue[]> {
    const rows = await this.deps.issues.noticedBetween(orgId, where, from, to, opts.since ?? 'first_seen_at', opts.limit ?? 500);
    return rows.map((r) => ({
      id: r.id,
      service_id: r.service_id,
      project_id: r.project_id,
      title: r.title,
      culprit: r.culprit,
      level: r.level,
      environments: r.environments,
      status: r.status,
      first_seen_at: r.first_seen_at.toISOString(),
      created_at: r.created_at.toISOString(),
      regressed_at: r.status === 'regressed' && r.status_changed_at ? r.status_changed_at.toISOString() : null,
      event_count: r.event_count,
    }));
  }

  async get(orgId: string, issueId: string): Promise<IssueDetail> {
    return this.detail(await this.found(orgId, issueId));
  }

  async patch(orgId: string, issueId: string, actor: Actor, body: IssuePatch): Promise<IssueDetail> {
    const row = await this.found(orgId, issueId);
    if (body.assigned_to && !(await this.deps.members.isMember(orgId, body.assigned_to))) {
      throw new ValidationError('assigned_to must be a member of the organisation', { field: 'assigned_to' });
    }
    const changes: IssueUpdate = {};
    if (body.assigned_to !== undefined) changes.assigned_to = body.assigned_to;
    const status = body.status ?? (body.resolve_in_next_release !== undefined ? 'resolved' : undefined);
    if (status) {
      Object.assign(changes, afterChange(row, {
        status,
        resolveInNextRelease: body.resolve_in_next_release,
        ignoreUntilAt: body.ignore_until_at ? new Date(body.ignore_until_at) : undefined,
        ignoreUntilEvents: body.ignore_until_events,
      }, new Date()));
    }
    const updated = (await this.deps.issues.update(row.id, changes)) ?? row;
    await this.deps.audit.record({
      orgId, actorId: actor.userId, action: 'issue.update', targetType: 'issue', targetId: row.id, ip: actor.ip, userAgent: actor.userAgent,
      metadata: { status: updated.status, previous_status: row.status, assigned_to: updated.assigned_to, resolve_in_next_release: updated.resolve_in_next_release },
    });
    await this.announce([updated]);
    return this.detail(updated);
  }

  /** One status for several issues: all of the organisation's, or none changed (404). */
  async bulk(orgId: string, actor: Actor, body: IssueBulkPatch) {
    const ids = [...new Set(body.ids)];
    const now = new Date();
    // The rows are locked so an ingest batch cannot apply its counts in between read and write.
    const updated = await this.deps.db.transaction(async (trx) => {
      const rows = await this.deps.issues.findManyInOrg(orgId, ids, trx);
      if (rows.length !== ids.length) throw new NotFoundError('Issue');
      const out: ErrorGroupRow[] = [];
      for (const row of rows) {
        const next = afterChange(row, { status: body.status, resolveInNextRelease: body.resolve_in_next_release }, now);
        out.push((await this.deps.issues.update(row.id, next, trx)) ?? row);
      }
      return out;
    });
    await this.deps.audit.record({
      orgId, actorId: actor.userId, action: 'issue.bulk_update', targetType: 'issue', ip: actor.ip, userAgent: actor.userAgent,
      metadata: { status: body.status, count: updated.length, resolve_in_next_release: body.resolve_in_next_release ?? false },
    });
    await this.announce(updated);
    const deployments = await this.deps.deployments.summaries(updated.map((r) => r.first_deployment_id).filter((d): d is string => d !== null));
    return { items: updated.map((r) => toIssueDto(r, deployments)) };
  }

  async events(orgId: string, issueId: string, page: PageQuery): Promise<{ items: EventSummary[]; next_cursor: string | null }> {
    const row = await this.found(orgId, issueId);
    const after = page.cursor ? decodeCursor(page.cursor) : null;
    const rows = await this.deps.store.page(row, page.limit + 1, after ? { at: after.at, id: after.id.replace(/-/g, '').toLowerCase() } : null);
    const items = rows.slice(0, page.limit);
    const last = items.at(-1);
    return { items: items.map(toEventSummaryDto), next_cursor: rows.length > page.limit && last ? encodeCursor(last.timestamp, dashed(last.event_id)) : null };
  }

  async event(orgId: string, issueId: string, eventId: string): Promise<EventDetail> {
    const row = await this.found(orgId, issueId);
    const stored = await this.deps.store.find(row, eventRef(eventId));
    if (!stored) throw new NotFoundError('Event');
    const nav = await this.deps.store.neighbours(row, stored.timestamp, stored.event_id);
    return toEventDetailDto(stored, decodePayload(stored.payload), nav);
  }

  /** Issues whose first event happened while this deployment was running (the deployment is checked by the route). */
  async forDeployment(orgId: string, deploymentId: string, page: PageQuery) {
    const after = page.cursor ? decodeCursor(page.cursor) : null;
    const rows = await this.deps.issues.listForDeployment(orgId, deploymentId, page.limit + 1, after);
    const items = rows.slice(0, page.limit);
    const last = items.at(-1);
    return { items: await this.listItems(items), next_cursor: rows.length > page.limit && last ? encodeCursor(last.first_seen_at, last.id) : null };
  }

  /** Stores the AI module's analysis on the issue (issue 15; the AI module writes no table of ours). */
  async recordAnalysis(orgId: string, issueId: string, analysis: AiAnalysis): Promise<void> {
    const row = await this.found(orgId, issueId);
    await this.deps.issues.setAnalysis(row.id, analysis);
    await this.announce([row]);
  }

  private async announce(rows: ErrorGroupRow[]): Promise<void> {
    const s = this.deps.stream;
    await s.publish(rows.map((r) => issueUpdated(s, r))).catch((err: unknown) => this.deps.logger.warn({ err }, 'issue stream events not published'));
  }
}

/** The stored analysis as the contract has it; a value of an older shape reads as none. */
function storedAnalysis(value: unknown): AiAnalysis | null {
  const parsed = AiAnalysisSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}
