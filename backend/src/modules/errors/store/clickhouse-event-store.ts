import type { IssueLevel } from '@syntra/shared';
import { type ClickHouse, selectRows } from '../../../db/clickhouse/index.js';
import { chTime, type ErrorEventRow, fromChTime, type TelemetryWriter } from '../../telemetry/index.js';
import type { ErrorEventStore, EventRef, IssueRef, NewStoredEvent, StoredEvent, StoredEventHead } from './event-store.js';

/** The org's error retention in days: reads stop there (the TTL removes older rows at merges). */
export type RetentionDaysOf = (orgId: string) => Promise<number>;

interface HeadRow {
  EventId: string;
  GroupId: string;
  Timestamp: string;
  Level: string;
  Message: string;
  Environment: string;
  Release: string;
  DeploymentId: string;
  ReceivedAt: string;
  TraceId: string;
}

const HEAD = 'EventId, GroupId, Timestamp, Level, Message, Environment, Release, DeploymentId, ReceivedAt, TraceId';
/**
 * One issue's rows within the org's retention. FINAL: a redelivered event's second copy is collapsed
 * at merges (ReplacingMergeTree); until then FINAL shows it once. The issue's tenancy is the sort
 * key's prefix, so the read is one contiguous range.
 */
const ISSUE_ROWS = `FROM error_events FINAL
  WHERE OrgId = {org:UUID} AND ProjectId = {project:UUID} AND ServiceId = {service:UUID} AND GroupId = {issue:UUID}
    AND Timestamp >= now64(3) - toIntervalDay({days:UInt16})`;
const AT = 'parseDateTime64BestEffort({at:String}, 3)';

const orNull = (s: string) => (s === '' ? null : s);

function toHead(r: HeadRow): StoredEventHead {
  return {
    event_id: r.EventId,
    error_group_id: r.GroupId,
    timestamp: new Date(fromChTime(r.Timestamp)),
    level: r.Level as IssueLevel,
    message: orNull(r.Message),
    environment: orNull(r.Environment),
    release: orNull(r.Release),
    deployment_id: orNull(r.DeploymentId),
    received_at: r.ReceivedAt ? new Date(fromChTime(r.ReceivedAt)) : null,
    trace_id: orNull(r.TraceId),
  };
}

function toRow(e: NewStoredEvent): ErrorEventRow {
  return {
    OrgId: e.org_id,
    ProjectId: e.project_id,
    ServiceId: e.service_id,
    GroupId: e.error_group_id,
    EventId: e.event_id,
    DeploymentId: e.deployment_id ?? '',
    Timestamp: chTime(e.timestamp),
    ReceivedAt: chTime(e.received_at),
    Level: e.level,
    Environment: e.environment ?? '',
    Release: e.release ?? '',
    Platform: e.platform ?? '',
    Message: e.message ?? '',
    ExceptionType: e.exception_type ?? '',
    Culprit: e.culprit ?? '',
    TraceId: e.trace_id ?? '',
    SpanId: e.span_id ?? '',
    Fingerprint: e.fingerprint,
    UserIdHash: e.user_id_hash ?? '',
    // The object itself: ClickHouse reads a JSON object into a String column as its text, so the
    // event is serialised once with the row (PayloadSize defaults to its length).
    Payload: e.payload as unknown as string,
    RetentionDays: e.retention_days,
  };
}

/**
 * The events in ClickHouse's `error_events` (ClickHouse migration 20261202_1350). Idempotent per
 * (service, event id): the table is a ReplacingMergeTree on (org, project, service, issue, time,
 * event id) and reads use FINAL, so a batch written twice shows each event once.
 */
export class ClickHouseErrorEventStore implements ErrorEventStore {
  constructor(
    private readonly ch: ClickHouse,
    private readonly writer: TelemetryWriter,
    private readonly retentionDays: RetentionDaysOf,
  ) {}

  async insert(events: readonly NewStoredEvent[]): Promise<void> {
    if (events.length === 0) return;
    // The intake's queue batched them already: written at once, acknowledged after the insert.
    await this.writer.write('error_events', events.map(toRow), { now: true });
  }

  private async params(issue: IssueRef): Promise<Record<string, unknown>> {
    return { org: issue.org_id, project: issue.project_id, service: issue.service_id, issue: issue.id, days: await this.retentionDays(issue.org_id) };
  }

  async page(issue: IssueRef, limit: number, after: { at: string; id: string } | null): Promise<StoredEventHead[]> {
    const params = { ...(await this.params(issue)), limit, at: after?.at ?? '', id: after?.id ?? '' };
    const cut = after ? `AND (Timestamp, EventId) < (${AT}, {id:String})` : '';
    const rows = await selectRows<HeadRow>(this.ch, `SELECT ${HEAD} ${ISSUE_ROWS} ${cut} ORDER BY Timestamp DESC, EventId DESC LIMIT {limit:UInt32}`, params);
    return rows.map(toHead);
  }

  async find(issue: IssueRef, ref: EventRef): Promise<StoredEvent | undefined> {
    const params = await this.params(issue);
    let where = '';
    let order = 'Timestamp DESC, EventId DESC';
    if (ref === 'oldest') order = 'Timestamp ASC, EventId ASC';
    else if (ref !== 'latest') {
      where = 'AND EventId = {id:String}';
      params.id = ref.eventId;
    }
    const [row] = await selectRows<HeadRow & { Payload: string }>(this.ch, `SELECT ${HEAD}, Payload ${ISSUE_ROWS} ${where} ORDER BY ${order} LIMIT 1`, params);
    return row ? { ...toHead(row), payload: row.Payload } : undefined;
  }

  async neighbours(issue: IssueRef, at: Date, eventId: string): Promise<{ older: string | null; newer: string | null }> {
    const params = { ...(await this.params(issue)), at: at.toISOString(), id: eventId };
    const one = (cmp: '<' | '>', dir: 'DESC' | 'ASC') =>
      selectRows<{ EventId: string }>(this.ch, `SELECT EventId ${ISSUE_ROWS} AND (Timestamp, EventId) ${cmp} (${AT}, {id:String}) ORDER BY Timestamp ${dir}, EventId ${dir} LIMIT 1`, params);
    const [older, newer] = await Promise.all([one('<', 'DESC'), one('>', 'ASC')]);
    return { older: older[0]?.EventId ?? null, newer: newer[0]?.EventId ?? null };
  }

  async latestEventIds(issues: readonly IssueRef[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    const byOrg = new Map<string, string[]>();
    for (const i of issues) byOrg.set(i.org_id, [...(byOrg.get(i.org_id) ?? []), i.id]);
    for (const [org, ids] of byOrg) {
      // argMax over copies of one event gives that event: no FINAL needed.
      const rows = await selectRows<{ GroupId: string; EventId: string }>(
        this.ch,
        `SELECT GroupId, argMax(EventId, (Timestamp, EventId)) AS EventId FROM error_events
          WHERE OrgId = {org:UUID} AND GroupId IN {ids:Array(UUID)} AND Timestamp >= now64(3) - toIntervalDay({days:UInt16})
          GROUP BY GroupId`,
        { org, ids, days: await this.retentionDays(org) },
      );
      for (const r of rows) out.set(r.GroupId, r.EventId);
    }
    return out;
  }

  async countBetween(orgId: string, where: { serviceId?: string | undefined; issueId?: string | undefined }, from: Date, to: Date): Promise<number> {
    // uniqExact over event ids: a redelivered event's copy (before a merge collapses it) counts once.
    const rows = await selectRows<{ n: string }>(
      this.ch,
      `SELECT uniqExact(EventId) AS n FROM error_events
        WHERE OrgId = {org:UUID} AND Timestamp >= ${'{'}from:DateTime64(3)} AND Timestamp < ${'{'}to:DateTime64(3)}
          ${where.serviceId ? 'AND ServiceId = {service:UUID}' : ''} ${where.issueId ? 'AND GroupId = {issue:UUID}' : ''}`,
      { org: orgId, from: chTime(from), to: chTime(to), ...(where.serviceId ? { service: where.serviceId } : {}), ...(where.issueId ? { issue: where.issueId } : {}) },
    );
    return Number(rows[0]?.n ?? 0);
  }

  async countSeries(orgId: string, where: { serviceId?: string | undefined; issueId?: string | undefined }, from: Date, to: Date, stepSeconds: number): Promise<Array<[number, number]>> {
    const rows = await selectRows<{ t: string; n: string }>(
      this.ch,
      `SELECT toString(intDiv(toUnixTimestamp64Milli(Timestamp), {step:Int64}) * {step:Int64}) AS t, uniqExact(EventId) AS n FROM error_events
        WHERE OrgId = {org:UUID} AND Timestamp >= ${'{'}from:DateTime64(3)} AND Timestamp < ${'{'}to:DateTime64(3)}
          ${where.serviceId ? 'AND ServiceId = {service:UUID}' : ''} ${where.issueId ? 'AND GroupId = {issue:UUID}' : ''}
        GROUP BY t ORDER BY t LIMIT 10000`,
      { org: orgId, from: chTime(from), to: chTime(to), step: stepSeconds * 1000, ...(where.serviceId ? { service: where.serviceId } : {}), ...(where.issueId ? { issue: where.issueId } : {}) },
    );
    return rows.map((r) => [Number(r.t), Number(r.n)]);
  }
}
