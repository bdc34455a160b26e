import type { Knex } from 'knex';
import type { AlertEventRow, AlertRuleRow, AlertSilenceRow } from './alerts.tables.js';

export type NewRule = Pick<
  AlertRuleRow,
  'org_id' | 'name' | 'kind' | 'scope_server_id' | 'scope_service_id' | 'scope_project_id' | 'condition' | 'severity' | 'for_seconds' | 'cooldown_seconds' | 'channel_ids' | 'enabled' | 'created_by'
>;

export interface EventFilter {
  ruleId?: string | undefined;
  status?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  serviceId?: string;
  serverId?: string;
  limit: number;
}

export class AlertsRepo {
  constructor(private readonly db: Knex) {}

  // ---- rules ----

  listRules(orgId: string): Promise<AlertRuleRow[]> {
    return this.db('alert_rules').where({ org_id: orgId }).orderBy('created_at');
  }

  findRule(orgId: string, id: string): Promise<AlertRuleRow | undefined> {
    return this.db('alert_rules').where({ org_id: orgId, id }).first();
  }

  ruleById(id: string): Promise<AlertRuleRow | undefined> {
    return this.db('alert_rules').where({ id }).first();
  }

  async orgIdOfRule(id: string): Promise<string | null> {
    return (await this.db('alert_rules').where({ id }).first('org_id'))?.org_id ?? null;
  }

  enabledRulesOfKind(orgId: string, kinds: readonly string[]): Promise<AlertRuleRow[]> {
    return this.db('alert_rules').where({ org_id: orgId, enabled: true }).whereIn('kind', kinds);
  }

  /** Every organisation's enabled rules of these kinds (the catch-up when an evaluator starts). */
  allEnabledRulesOfKind(kinds: readonly string[]): Promise<AlertRuleRow[]> {
    return this.db('alert_rules').where({ enabled: true }).whereIn('kind', kinds).orderBy('org_id').limit(100_000);
  }

  /** Moves a rule's catch-up cursor forward (never back: two evaluators may catch up at once). */
  async advanceCursor(ids: readonly string[], to: Date) {
    if (ids.length === 0) return;
    await this.db('alert_rules').whereIn('id', ids as string[]).update({ event_cursor: this.db.raw('GREATEST(COALESCE(event_cursor, ?::timestamptz), ?::timestamptz)', [to, to]) });
  }

  async insertRule(row: NewRule, now: Date): Promise<AlertRuleRow> {
    const [created] = await this.db('alert_rules').insert({ ...row, next_eval_at: now }).returning('*');
    return created!;
  }

  async updateRule(id: string, patch: Partial<NewRule & Pick<AlertRuleRow, 'event_cursor'>>): Promise<AlertRuleRow> {
    const [row] = await this.db('alert_rules').where({ id }).update({ ...patch, updated_at: this.db.fn.now() }).returning('*');
    return row!;
  }

  deleteRule(id: string) {
    return this.db('alert_rules').where({ id }).delete();
  }

  /** Drops a deleted channel from every rule of its organisation. */
  async forgetChannel(orgId: string, channelId: string) {
    await this.db('alert_rules').where({ org_id: orgId }).update({ channel_ids: this.db.raw('array_remove(channel_ids, ?::uuid)', [channelId]) });
  }

  /**
   * Takes the evaluation lease of due rules: those this evaluator holds, or whose holder's lease has
   * lapsed (a worker that died). SKIP LOCKED: two evaluators claiming at once split the rules, never
   * share one. The lease outlives a few intervals, so a rule stays with its evaluator while it lives.
   */
  claimDue(owner: string, now: Date, leaseUntil: Date, kinds: readonly string[], limit: number): Promise<AlertRuleRow[]> {
    return this.db.transaction(async (trx) => {
      const due = await trx('alert_rules')
        .select('id')
        .where({ enabled: true })
        .whereIn('kind', kinds)
        .where('next_eval_at', '<=', now)
        .where((q) => void q.where({ lease_owner: owner }).orWhereNull('lease_until').orWhere('lease_until', '<', now))
        .orderBy('next_eval_at')
        .limit(limit)
        .forUpdate()
        .skipLocked();
      if (!due.length) return [];
      return trx('alert_rules')
        .whereIn(
          'id',
          due.map((r) => r.id),
        )
        .update({ lease_owner: owner, lease_until: leaseUntil })
        .returning('*');
    });
  }

  /** Records an evaluation; only by the lease holder (a worker whose lease was taken over writes nothing). */
  async evaluated(id: string, owner: string, now: Date, nextEvalAt: Date): Promise<boolean> {
    return (await this.db('alert_rules').where({ id, lease_owner: owner }).update({ last_evaluated_at: now, next_eval_at: nextEvalAt })) > 0;
  }

  async markFired(id: string, at: Date) {
    await this.db('alert_rules').where({ id }).update({ last_fired_at: at });
  }

  // ---- events ----

  /** A new event unless the rule already has one open for the subject or one for this occurrence (then undefined). */
  async insertEvent(row: Omit<AlertEventRow, 'id' | 'acknowledged_by' | 'acknowledged_at'>): Promise<AlertEventRow | undefined> {
    const [created] = await this.db('alert_events').insert(row).onConflict().ignore().returning('*');
    return created;
  }

  openEvent(ruleId: string, subjectKey: string): Promise<AlertEventRow | undefined> {
    return this.db('alert_events').where({ rule_id: ruleId, subject_key: subjectKey }).whereNot({ status: 'resolved' }).first();
  }

  openEventsOfRule(ruleId: string): Promise<AlertEventRow[]> {
    return this.db('alert_events').where({ rule_id: ruleId }).whereNot({ status: 'resolved' });
  }

  /** pending → firing, once (the evaluator and a timer may both try). */
  async promote(id: string, at: Date, values?: Record<string, unknown>): Promise<AlertEventRow | undefined> {
    const [row] = await this.db('alert_events')
      .where({ id, status: 'pending' })
      .update({ status: 'firing', fired_at: at, ...(values ? { values } : {}) })
      .returning('*');
    return row;
  }

  /** firing → resolved, once. */
  async resolve(id: string, at: Date): Promise<AlertEventRow | undefined> {
    const [row] = await this.db('alert_events').where({ id, status: 'firing' }).update({ status: 'resolved', resolved_at: at }).returning('*');
    return row;
  }

  /** A pending event whose condition cleared before it fired leaves no trace. */
  async dropPending(id: string) {
    await this.db('alert_events').where({ id, status: 'pending' }).delete();
  }

  listEvents(orgId: string, f: EventFilter): Promise<AlertEventRow[]> {
    const q = this.db('alert_events').where({ org_id: orgId });
    if (f.ruleId) void q.where({ rule_id: f.ruleId });
    if (f.status) void q.where({ status: f.status as AlertEventRow['status'] });
    if (f.serviceId) void q.where({ service_id: f.serviceId });
    if (f.serverId) void q.where({ server_id: f.serverId });
    if (f.from) void q.where('started_at', '>=', f.from);
    if (f.to) void q.where('started_at', '<', f.to);
    return q.orderBy('started_at', 'desc').limit(f.limit);
  }

  findEvent(orgId: string, id: string): Promise<AlertEventRow | undefined> {
    return this.db('alert_events').where({ org_id: orgId, id }).first();
  }

  async orgIdOfEvent(id: string): Promise<string | null> {
    return (await this.db('alert_events').where({ id }).first('org_id'))?.org_id ?? null;
  }

  async ack(id: string, userId: string, at: Date): Promise<AlertEventRow> {
    const [row] = await this.db('alert_events').where({ id }).update({ acknowledged_by: userId, acknowledged_at: at }).returning('*');
    return row!;
  }

  ruleNames(ids: readonly string[]): Promise<Array<Pick<AlertRuleRow, 'id' | 'name' | 'kind'>>> {
    return ids.length ? this.db('alert_rules').whereIn('id', [...new Set(ids)]).select('id', 'name', 'kind') : Promise.resolve([]);
  }

  // ---- silences ----

  activeSilences(orgId: string, now: Date): Promise<AlertSilenceRow[]> {
    return this.db('alert_silences').where({ org_id: orgId }).where('until', '>', now).orderBy('created_at');
  }

  async insertSilence(row: Omit<AlertSilenceRow, 'id' | 'created_at'>): Promise<AlertSilenceRow> {
    const [created] = await this.db('alert_silences').insert(row).returning('*');
    return created!;
  }

  async orgIdOfSilence(id: string): Promise<string | null> {
    return (await this.db('alert_silences').where({ id }).first('org_id'))?.org_id ?? null;
  }

  deleteSilence(orgId: string, id: string) {
    return this.db('alert_silences').where({ org_id: orgId, id }).delete();
  }
}
