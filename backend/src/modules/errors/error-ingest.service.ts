import type { Knex } from 'knex';
import type { StreamEvent } from '@syntra/shared';
import type { Logger } from '../../logger.js';
import type { ErrorEventProcessor, ReceivedEvent } from '../ingest/index.js';
import type { StreamPublisher } from '../stream/index.js';
import { deploymentAt } from './deploy-link.js';
import type { ErrorGroupRow } from './errors.tables.js';
import { afterEvents } from './issue-state.js';
import { issueUpdated } from './issue-events.js';
import type { IssueBatchUpdate, IssueSeed, IssuesRepo, LockedIssue } from './issues.repo.js';
import type { DeploymentLookup } from './ports.js';
import { prepareEvent, type PreparedEvent } from './prepare-event.js';
import type { ErrorEventStore, NewStoredEvent } from './store/event-store.js';

/** Environments remembered per issue (the list's filter); more is noise from a misconfigured SDK. */
const MAX_ENVIRONMENTS = 50;

export interface ErrorIngestDeps {
  db: Knex;
  issues: IssuesRepo;
  store: ErrorEventStore;
  /** The org's error retention (days): each stored event carries it for ClickHouse's TTL. */
  retentionDays: (orgId: string) => Promise<number>;
  deployments: DeploymentLookup;
  stream: Pick<StreamPublisher, 'publish' | 'event'>;
  logger: Logger;
}

interface Prepared extends PreparedEvent {
  deploymentId: string | null;
}

const HEX32 = /^[0-9a-f]{32}$/;
const HEX16 = /^[0-9a-f]{16}$/;

/** `contexts.trace` of the SDK (the span the error happened in): the error → trace link. */
function traceOf(contexts: Record<string, unknown>): { traceId: string | null; spanId: string | null } {
  const t = contexts.trace;
  if (typeof t !== 'object' || t === null) return { traceId: null, spanId: null };
  const { trace_id: traceId, span_id: spanId } = t as { trace_id?: unknown; span_id?: unknown };
  const norm = (v: unknown, re: RegExp) => (typeof v === 'string' && re.test(v.toLowerCase()) ? v.toLowerCase() : null);
  return { traceId: norm(traceId, HEX32), spanId: norm(spanId, HEX16) };
}

function hourOf(d: Date): string {
  const h = new Date(d);
  h.setUTCMinutes(0, 0, 0);
  return h.toISOString();
}

/** Groups items by key, keeping their order. */
function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

function isFkViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === '23503';
}

/**
 * Normalises, groups and stores the events the intake's workers hand over (ErrorEventProcessor).
 * A batch is grouped in memory, then written in one transaction: one upsert per issue, multi-row
 * inserts for counted ids, users, releases and hourly counts; then the events to the store
 * (ClickHouse). Redelivered events are recognised by (service_id, event_id) and counted once.
 */
export class ErrorIngestService implements ErrorEventProcessor {
  constructor(private readonly deps: ErrorIngestDeps) {}

  async process(events: ReceivedEvent[]): Promise<void> {
    const unique = new Map<string, ReceivedEvent>();
    for (const e of events) {
      const key = `${e.serviceId}:${e.eventId}`;
      if (!unique.has(key)) unique.set(key, e);
    }
    if (unique.size === 0) return;
    const prepared = await this.prepare([...unique.values()]);
    const announcements = await this.storeSplittingGone(prepared);
    if (announcements.length > 0) {
      await this.deps.stream.publish(announcements).catch((err: unknown) => this.deps.logger.warn({ err }, 'issue stream events not published'));
    }
  }

  private async prepare(events: ReceivedEvent[]): Promise<Prepared[]> {
    const base = events.map(prepareEvent);
    const serviceIds = [...new Set(base.map((p) => p.source.serviceId))];
    const until = new Date(Math.max(...base.map((p) => p.timestamp.getTime())));
    const timelines = await this.deps.deployments.timelines(serviceIds, until);
    const byService = groupBy(timelines, (d) => d.serviceId);
    return base.map((p) => ({ ...p, deploymentId: deploymentAt(byService.get(p.source.serviceId) ?? [], p.timestamp, p.event.release) }));
  }

  /** A service deleted while its events waited has no issues to hold them: its events are dropped, the rest stored. */
  private async storeSplittingGone(prepared: Prepared[]): Promise<StreamEvent[]> {
    try {
      return await this.store(prepared);
    } catch (err) {
      if (!isFkViolation(err)) throw err;
      const services = [...new Set(prepared.map((p) => p.source.serviceId))];
      if (services.length === 1) {
        this.deps.logger.warn({ service_id: services[0], events: prepared.length }, 'events of a deleted service dropped');
        return [];
      }
      const out: StreamEvent[] = [];
      for (const s of services) out.push(...(await this.storeSplittingGone(prepared.filter((p) => p.source.serviceId === s))));
      return out;
    }
  }

  /**
   * Counters in PostgreSQL first (one transaction: issues locked, events claimed as counted), then
   * the batch's events to ClickHouse. A failure after the commit makes the intake hand the batch
   * over again: the claims keep its counts from being added twice, and the store keeps each event once.
   */
  private async store(prepared: Prepared[]): Promise<StreamEvent[]> {
    const days = new Map<string, number>();
    for (const org of new Set(prepared.map((p) => p.source.orgId))) days.set(org, await this.deps.retentionDays(org));
    const { rows, announcements } = await this.count(prepared);
    await this.deps.store.insert(rows.map((r) => ({ ...r, retention_days: days.get(r.org_id)! })));
    return announcements;
  }

  private async count(prepared: Prepared[]): Promise<{ rows: Array<Omit<NewStoredEvent, 'retention_days'>>; announcements: StreamEvent[] }> {
    const buckets = groupBy(prepared, (p) => p.issueKey);
    const now = new Date();
    return this.deps.db.transaction(async (trx) => {
      // Claimed before the issues are locked, so the locks concurrent batches of the same issues
      // wait on are held for less (claims of different events do not wait on each other).
      const claimed = await this.deps.issues.claimEvents(trx, prepared.map((p) => ({ service_id: p.source.serviceId, event_id: p.source.eventId })));
      const locked = await this.deps.issues.lockOrCreate(trx, [...buckets.values()].map(seedOf));
      const issueOf = new Map(locked.map((r) => [`${r.service_id}:${r.fingerprint}`, r]));
      const rows = prepared.map((p) => toStoredEvent(p, issueOf.get(p.issueKey)!));
      const fresh = prepared.filter((p) => claimed.has(`${p.source.serviceId}:${p.source.eventId}`));
      if (fresh.length === 0) return { rows, announcements: [] };

      const byIssue = groupBy(fresh, (p) => p.issueKey);
      const userPairs: Array<{ error_group_id: string; user_hash: string }> = [];
      const hourly = new Map<string, { error_group_id: string; hour: string; count: number }>();
      const releases = new Map<string, { error_group_id: string; release: string; first_seen_at: Date }>();
      for (const [key, list] of byIssue) {
        const id = issueOf.get(key)!.id;
        for (const hash of new Set(list.map((p) => p.userHash).filter((h): h is string => h !== null))) userPairs.push({ error_group_id: id, user_hash: hash });
        for (const p of list) {
          const hour = hourOf(p.timestamp);
          const h = hourly.get(`${id}|${hour}`) ?? { error_group_id: id, hour, count: 0 };
          h.count += 1;
          hourly.set(`${id}|${hour}`, h);
          const release = p.event.release;
          if (release) {
            const r = releases.get(`${id}|${release}`);
            if (!r) releases.set(`${id}|${release}`, { error_group_id: id, release, first_seen_at: p.timestamp });
            else if (p.timestamp < r.first_seen_at) r.first_seen_at = p.timestamp;
          }
        }
      }
      const newUsers = await this.deps.issues.addUsers(trx, userPairs);
      await this.deps.issues.addHourly(trx, [...hourly.values()]);
      await this.deps.issues.addReleases(trx, [...releases.values()]);

      const planned: Array<{ row: LockedIssue; list: Prepared[]; update: IssueBatchUpdate; transition: 'regressed' | 'reopened' | null }> = [];
      for (const [key, list] of byIssue) {
        const row = issueOf.get(key)!;
        const oldReleases = await this.releasesBeforeResolve(trx, row, list);
        planned.push({ row, list, ...updateFor(row, list, newUsers.get(row.id) ?? 0, now, oldReleases) });
      }
      const updated = new Map((await this.deps.issues.applyBatch(trx, planned.map((p) => p.update))).map((r) => [r.id, r]));
      return { rows, announcements: planned.flatMap((p) => this.announce(p.row, updated.get(p.row.id)!, p.transition, p.list.at(-1)!)) };
    });
  }

  /** For an issue resolved in the next release: the new events' releases it had seen before the resolve (not newer). */
  private async releasesBeforeResolve(trx: Knex.Transaction, row: LockedIssue, list: Prepared[]): Promise<Set<string>> {
    if (row.status !== 'resolved' || !row.resolve_in_next_release || !row.resolved_at) return new Set();
    const releases = [...new Set(list.map((p) => p.event.release).filter((r): r is string => r !== null && r !== row.resolved_in_release))];
    return this.deps.issues.releasesSeenBefore(trx, row.id, releases, row.resolved_at);
  }

  private announce(before: LockedIssue, after: ErrorGroupRow, transition: 'regressed' | 'reopened' | null, last: Prepared): StreamEvent[] {
    const s = this.deps.stream;
    const out: StreamEvent[] = [];
    const headline = {
      issue_id: after.id,
      service_id: after.service_id,
      project_id: after.project_id,
      title: after.title,
      level: after.level,
      environment: last.event.environment,
      culprit: after.culprit,
    };
    if (before.inserted) out.push(s.event('issue.created', after.org_id, headline));
    else if (transition === 'regressed') out.push(s.event('issue.regressed', after.org_id, headline));
    out.push(issueUpdated(s, after));
    return out;
  }
}

/** A new issue's first facts, from its bucket (oldest event for "first", newest for what it shows). */
function seedOf(list: Prepared[]): IssueSeed {
  const byTime = [...list].sort((a, b) => a.timestamp.getTime() - b.timestamp.getTime());
  const first = byTime[0]!;
  const last = byTime.at(-1)!;
  const src = first.source;
  return {
    org_id: src.orgId,
    project_id: src.projectId,
    service_id: src.serviceId,
    fingerprint: first.grouping.hash,
    title: last.summary.title,
    culprit: last.summary.culprit,
    exception_type: last.summary.exceptionType,
    level: last.event.level,
    message: first.summary.message?.slice(0, 2000) ?? null,
    platform: first.event.platform,
    first_release: byTime.find((p) => p.event.release)?.event.release ?? null,
    last_release: [...byTime].reverse().find((p) => p.event.release)?.event.release ?? null,
    first_deployment_id: first.deploymentId,
    first_seen_at: first.timestamp.toISOString(),
    last_seen_at: last.timestamp.toISOString(),
  };
}

function toStoredEvent(p: Prepared, issue: LockedIssue): Omit<NewStoredEvent, 'retention_days'> {
  const trace = traceOf(p.event.contexts);
  return {
    org_id: p.source.orgId,
    project_id: p.source.projectId,
    service_id: p.source.serviceId,
    error_group_id: issue.id,
    event_id: p.source.eventId,
    deployment_id: p.deploymentId,
    level: p.event.level,
    message: p.summary.title,
    environment: p.event.environment,
    release: p.event.release,
    platform: p.event.platform,
    exception_type: p.summary.exceptionType,
    culprit: p.summary.culprit,
    trace_id: trace.traceId,
    span_id: trace.spanId,
    fingerprint: p.grouping.hash,
    user_id_hash: p.userHash,
    timestamp: p.event.timestamp,
    received_at: p.event.received_at,
    payload: p.event,
  };
}

/** The issue after its new events of this batch (its row is locked). */
function updateFor(row: LockedIssue, list: Prepared[], newUsers: number, now: Date, oldReleases: ReadonlySet<string>): { update: IssueBatchUpdate; transition: 'regressed' | 'reopened' | null } {
  const byTime = [...list].sort((a, b) => a.timestamp.getTime() - b.timestamp.getTime());
  const oldest = byTime[0]!;
  const newest = byTime.at(-1)!;
  const eventCount = row.event_count + list.length;
  const isNewest = newest.timestamp.getTime() >= row.last_seen_at.getTime() || row.inserted;
  const envs = new Set(row.environments);
  for (const p of list) if (p.event.environment && envs.size < MAX_ENVIRONMENTS) envs.add(p.event.environment);
  const newestRelease = [...byTime].reverse().find((p) => p.event.release)?.event.release ?? null;
  const state = afterEvents(row, list.map((p) => ({ timestamp: p.timestamp, release: p.event.release })), eventCount, now, oldReleases);
  const earlier = oldest.timestamp.getTime() < row.first_seen_at.getTime();
  // Sentry shows the newest event's title and culprit (a message template's latest wording).
  const shown = isNewest && !row.inserted
    ? { title: newest.summary.title, culprit: newest.summary.culprit, exception_type: newest.summary.exceptionType, level: newest.event.level }
    : { title: row.title, culprit: row.culprit, exception_type: row.exception_type, level: row.level };
  return {
    update: {
      id: row.id,
      ...shown,
      ...state.next,
      event_count: eventCount,
      user_count: row.user_count + newUsers,
      first_seen_at: earlier ? oldest.timestamp : row.first_seen_at,
      last_seen_at: isNewest ? newest.timestamp : row.last_seen_at,
      environments: [...envs],
      first_release: row.first_release ?? byTime.find((p) => p.event.release)?.event.release ?? null,
      last_release: isNewest && newestRelease ? newestRelease : row.last_release ?? newestRelease,
      first_deployment_id: row.first_deployment_id ?? oldest.deploymentId,
    },
    transition: state.transition,
  };
}
