import type { Knex } from 'knex';
import type { IssueSort, IssueStatus, OrgIssuesQuery } from '@syntra/shared';
import type { ErrorGroupRow } from './errors.tables.js';

/** A new issue's first facts; an existing issue with the same (service_id, fingerprint) is only locked. */
export type IssueSeed = Pick<
  ErrorGroupRow,
  'org_id' | 'project_id' | 'service_id' | 'fingerprint' | 'title' | 'culprit' | 'exception_type' | 'level' | 'message' | 'platform' | 'first_release' | 'last_release' | 'first_deployment_id'
> & { first_seen_at: string; last_seen_at: string };

export type LockedIssue = ErrorGroupRow & { inserted: boolean };

/** Everything a batch of events sets on an issue (computed from the locked row and the batch). */
export type IssueBatchUpdate = Pick<
  ErrorGroupRow,
  | 'id' | 'title' | 'culprit' | 'exception_type' | 'level' | 'status' | 'event_count' | 'user_count' | 'first_seen_at' | 'last_seen_at'
  | 'environments' | 'first_release' | 'last_release' | 'first_deployment_id' | 'resolved_at' | 'resolve_in_next_release'
  | 'resolved_in_release' | 'ignored_until_at' | 'ignored_until_count' | 'status_changed_at'
>;

/** The record type jsonb_to_recordset reads IssueBatchUpdate as (names and PostgreSQL types). */
const BATCH_COLUMNS: ReadonlyArray<readonly [keyof IssueBatchUpdate, string]> = [
  ['id', 'uuid'], ['title', 'text'], ['culprit', 'text'], ['exception_type', 'text'], ['level', 'text'], ['status', 'issue_status'],
  ['event_count', 'bigint'], ['user_count', 'integer'], ['first_seen_at', 'timestamptz'], ['last_seen_at', 'timestamptz'],
  ['environments', 'text[]'], ['first_release', 'text'], ['last_release', 'text'], ['first_deployment_id', 'uuid'],
  ['resolved_at', 'timestamptz'], ['resolve_in_next_release', 'boolean'], ['resolved_in_release', 'text'],
  ['ignored_until_at', 'timestamptz'], ['ignored_until_count', 'bigint'], ['status_changed_at', 'timestamptz'],
];
const BATCH_SQL = `UPDATE error_groups AS g SET ${BATCH_COLUMNS.filter(([c]) => c !== 'id').map(([c]) => `${c} = v.${c}`).join(', ')}, updated_at = now()
  FROM jsonb_to_recordset(?::jsonb) AS v(${BATCH_COLUMNS.map(([c, t]) => `${c} ${t}`).join(', ')})
  WHERE g.id = v.id RETURNING g.*`;

export type IssueUpdate = Partial<Omit<ErrorGroupRow, 'id' | 'org_id' | 'project_id' | 'service_id' | 'fingerprint' | 'created_at' | 'ai_analysis'>>;

/** Where a list looks: one project, or the organisation (optionally one project of it). */
export type IssueScope = { orgId: string; projectId?: string | undefined };

export type IssueFilters = Omit<OrgIssuesQuery, 'limit' | 'cursor' | 'sort' | 'project_id'>;

const SORT_COLUMN: Record<IssueSort, 'last_seen_at' | 'first_seen_at' | 'event_count' | 'user_count'> = {
  last_seen: 'last_seen_at',
  first_seen: 'first_seen_at',
  events: 'event_count',
  users: 'user_count',
};

function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export class IssuesRepo {
  constructor(private readonly db: Knex) {}

  /**
   * Creates the issues that do not exist and locks all of them (the no-op DO UPDATE takes the row
   * lock) until the batch's transaction ends, so concurrent batches of the same issues apply their
   * counts one after the other. Seeds are sorted by key so two batches always lock in one order.
   */
  async lockOrCreate(trx: Knex.Transaction, seeds: readonly IssueSeed[]): Promise<LockedIssue[]> {
    if (seeds.length === 0) return [];
    const sorted = [...seeds].sort((a, b) => (a.service_id + a.fingerprint < b.service_id + b.fingerprint ? -1 : 1));
    const rows = await trx('error_groups')
      .insert(sorted.map((s) => ({ ...s, event_count: 0, user_count: 0 })))
      .onConflict(['service_id', 'fingerprint'])
      .merge({ updated_at: trx.raw('error_groups.updated_at') })
      .returning(['*', trx.raw('(xmax = 0) AS inserted')]);
    return rows as unknown as LockedIssue[];
  }

  async update(id: string, changes: IssueUpdate, trx?: Knex.Transaction): Promise<ErrorGroupRow | undefined> {
    const [row] = await (trx ?? this.db)('error_groups').where({ id }).update({ ...changes, updated_at: new Date() }).returning('*');
    return row;
  }

  /** The AI analysis (issue 15), written only through IssueService.recordAnalysis. */
  async setAnalysis(id: string, analysis: Record<string, unknown>): Promise<void> {
    const analyzedAt = typeof analysis.analyzed_at === 'string' ? analysis.analyzed_at : null;
    await this.db('error_groups').where({ id }).update({ ai_analysis: analysis, ai_analyzed_at: analyzedAt, updated_at: new Date() });
  }

  /**
   * Applies a batch's changes to its issues in one statement (the rows are locked by lockOrCreate):
   * one round trip however many issues the batch touched.
   */
  async applyBatch(trx: Knex.Transaction, updates: readonly IssueBatchUpdate[]): Promise<ErrorGroupRow[]> {
    if (updates.length === 0) return [];
    const result = await trx.raw(BATCH_SQL, [JSON.stringify(updates)]);
    // A raw statement's rows are untyped; RETURNING g.* is exactly the table's row.
    return (result as { rows: ErrorGroupRow[] }).rows;
  }

  /** Counts the hashed users not yet counted for their issue; returns how many were new per issue. */
  async addUsers(trx: Knex.Transaction, pairs: ReadonlyArray<{ error_group_id: string; user_hash: string }>): Promise<Map<string, number>> {
    const added = new Map<string, number>();
    if (pairs.length === 0) return added;
    for (let i = 0; i < pairs.length; i += 5000) {
      const rows = await trx('error_group_users').insert(pairs.slice(i, i + 5000) as typeof pairs[number][]).onConflict(['error_group_id', 'user_hash']).ignore().returning('error_group_id');
      for (const r of rows) added.set(r.error_group_id, (added.get(r.error_group_id) ?? 0) + 1);
    }
    return added;
  }

  /**
   * Records events as counted and returns the keys (`service_id:event_id`) not counted before: a
   * redelivered event comes back absent, so its counts are not added twice. In the batch's transaction.
   */
  async claimEvents(trx: Knex.Transaction, keys: ReadonlyArray<{ service_id: string; event_id: string }>): Promise<Set<string>> {
    const fresh = new Set<string>();
    // In key order: two batches sharing events (a redelivery racing the original) wait on each other's keys in one order, never in a cycle.
    const sorted = [...keys].sort((a, b) => (a.service_id + a.event_id < b.service_id + b.event_id ? -1 : 1));
    for (let i = 0; i < sorted.length; i += 5000) {
      const rows = await trx('error_counted_events').insert(sorted.slice(i, i + 5000)).onConflict(['service_id', 'event_id']).ignore().returning(['service_id', 'event_id']);
      for (const r of rows) fresh.add(`${r.service_id}:${r.event_id}`);
    }
    return fresh;
  }

  /** Forgets counted event ids older than `before` (past any redelivery). */
  async pruneCounted(before: Date): Promise<number> {
    return this.db('error_counted_events').where('counted_at', '<', before).delete();
  }

  /** The releases the batch's events were in, with the earliest time each issue saw each. */
  async addReleases(trx: Knex.Transaction, rows: ReadonlyArray<{ error_group_id: string; release: string; first_seen_at: Date }>): Promise<void> {
    if (rows.length === 0) return;
    await trx('error_group_releases')
      .insert(rows as typeof rows[number][])
      .onConflict(['error_group_id', 'release'])
      .merge({ first_seen_at: trx.raw('LEAST(error_group_releases.first_seen_at, excluded.first_seen_at)') });
  }

  /** Which of these releases the issue had events of at or before `before` (releases older than a resolve). */
  async releasesSeenBefore(trx: Knex.Transaction, issueId: string, releases: readonly string[], before: Date): Promise<Set<string>> {
    if (releases.length === 0) return new Set();
    const rows = await trx('error_group_releases').select('release').where({ error_group_id: issueId }).whereIn('release', releases as string[]).where('first_seen_at', '<=', before);
    return new Set(rows.map((r) => r.release));
  }

  async addHourly(trx: Knex.Transaction, rows: ReadonlyArray<{ error_group_id: string; hour: string; count: number }>): Promise<void> {
    if (rows.length === 0) return;
    await trx('error_group_hourly')
      .insert(rows as typeof rows[number][])
      .onConflict(['error_group_id', 'hour'])
      .merge({ count: trx.raw('error_group_hourly.count + excluded.count') });
  }

  find(id: string): Promise<ErrorGroupRow | undefined> {
    return this.db('error_groups').where({ id }).first();
  }

  findInOrg(orgId: string, id: string): Promise<ErrorGroupRow | undefined> {
    return this.db('error_groups').where({ id, org_id: orgId }).first();
  }

  async findManyInOrg(orgId: string, ids: readonly string[], trx?: Knex.Transaction): Promise<ErrorGroupRow[]> {
    const q = (trx ?? this.db)('error_groups').where({ org_id: orgId }).whereIn('id', ids as string[]);
    // Locked in lockOrCreate's order (service, fingerprint), so a bulk change and an ingest batch never deadlock.
    return trx ? q.orderBy(['service_id', 'fingerprint']).forUpdate() : q;
  }

  async orgIdOf(id: string): Promise<string | null> {
    const row = await this.db('error_groups').where({ id }).first('org_id');
    return row?.org_id ?? null;
  }

  /**
   * One page of issues, ordered by `sort` (then id) descending, after the keyset `after`
   * (`value` is epoch ms for the time sorts, a count for the others).
   */
  async list(scope: IssueScope, f: IssueFilters, sort: IssueSort, limit: number, after: { value: number; id: string } | null): Promise<ErrorGroupRow[]> {
    const col = SORT_COLUMN[sort];
    const q = this.db('error_groups').where('org_id', scope.orgId);
    if (scope.projectId) q.where('project_id', scope.projectId);
    if (f.status) q.whereIn('status', f.status as IssueStatus[]);
    if (f.service_id) q.where('service_id', f.service_id);
    if (f.level) q.where('level', f.level);
    if (f.environment) q.whereRaw('? = ANY(environments)', [f.environment]);
    if (f.release) {
      // Every release an issue has seen is in error_group_releases (its events are in ClickHouse).
      const release = f.release;
      q.where((w) =>
        w.where('first_release', release).orWhere('last_release', release)
          .orWhereExists(this.db('error_group_releases').select(this.db.raw('1')).whereRaw('error_group_releases.error_group_id = error_groups.id').where('error_group_releases.release', release)),
      );
    }
    if (f.q) {
      const words = f.q.split(/\s+/).filter(Boolean).slice(0, 10);
      for (const word of words) {
        const p = likePattern(word);
        q.where((w) => w.whereILike('title', p).orWhereILike('culprit', p).orWhereILike('message', p));
      }
    }
    if (after) {
      const value = col === 'last_seen_at' || col === 'first_seen_at' ? new Date(after.value) : after.value;
      q.whereRaw(`(??, id) < (?, ?::uuid)`, [col, value, after.id]);
    }
    return q.orderBy([{ column: col, order: 'desc' }, { column: 'id', order: 'desc' }]).limit(limit);
  }

  /** Issues that first appeared after a deployment, newest first, after the keyset (first_seen_at, id). */
  async listForDeployment(orgId: string, deploymentId: string, limit: number, after: { at: string; id: string } | null): Promise<ErrorGroupRow[]> {
    const q = this.db('error_groups').where({ org_id: orgId, first_deployment_id: deploymentId });
    if (after) q.whereRaw('(first_seen_at, id) < (?::timestamptz, ?::uuid)', [after.at, after.id]);
    return q.orderBy([{ column: 'first_seen_at', order: 'desc' }, { column: 'id', order: 'desc' }]).limit(limit);
  }

  /**
   * Issues that appeared (`since` picks the column: when the first event happened, or when the
   * issue was recorded) or regressed in [from, to), oldest first: the incident timeline and the
   * alert listener's catch-up. A regression counts while the issue is still regressed (its time
   * is status_changed_at; a later resolve overwrites it).
   */
  async noticedBetween(orgId: string, where: { serviceId?: string | undefined }, from: Date, to: Date, since: 'first_seen_at' | 'created_at', limit: number): Promise<ErrorGroupRow[]> {
    const q = this.db('error_groups').where('org_id', orgId);
    if (where.serviceId) q.where('service_id', where.serviceId);
    q.where((w) => w.where((n) => n.where(since, '>=', from).where(since, '<', to)).orWhere((r) => r.where('status', 'regressed').where('status_changed_at', '>=', from).where('status_changed_at', '<', to)));
    return q.orderBy(since, 'asc').limit(limit);
  }

  /** Hourly counts of these issues since `since` (the sparklines). */
  async hourly(ids: readonly string[], since: Date): Promise<Array<{ error_group_id: string; hour: Date; count: number }>> {
    if (ids.length === 0) return [];
    return this.db('error_group_hourly').whereIn('error_group_id', ids as string[]).where('hour', '>=', since).select('error_group_id', 'hour', 'count');
  }

  /** Ignored issues whose time is up come back as unresolved (run by the retention worker). */
  async reopenExpiredIgnores(now: Date): Promise<ErrorGroupRow[]> {
    return this.db('error_groups')
      .where({ status: 'ignored' })
      .whereNotNull('ignored_until_at')
      .where('ignored_until_at', '<=', now)
      .update({ status: 'unresolved', ignored_until_at: null, ignored_until_count: null, status_changed_at: now, updated_at: now })
      .returning('*');
  }

  async pruneHourly(before: Date): Promise<number> {
    return this.db('error_group_hourly').where('hour', '<', before).delete();
  }
}
