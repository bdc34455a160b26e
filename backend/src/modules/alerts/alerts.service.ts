import {
  ALERT_CONDITION_SCHEMAS,
  type AlertEventListQuery,
  type AlertRuleKind,
  type AlertScope,
  type CreateAlertRuleBody,
  type CreateSilenceBody,
  type UpdateAlertRuleBody,
} from '@syntra/shared';
import { NotFoundError } from '../../errors.js';
import { parseOrThrow } from '../../http/validate.js';
import { iso } from '../../lib/iso.js';
import type { AuditService } from '../audit/index.js';
import type { NotificationService } from '../notifications/index.js';
import type { Actor } from '../orgs/index.js';
import type { AlertEngine } from './alert-engine.js';
import type { AlertDataPorts } from './ports.js';
import { previewRule } from './preview.js';
import type { AlertsRepo, NewRule } from './alerts.repo.js';
import type { AlertEventRow, AlertRuleRow, AlertSilenceRow } from './alerts.tables.js';

/** Checks that a scope's object is the organisation's (another organisation's is a 404, as everywhere). */
export interface ScopeChecker {
  server(orgId: string, id: string): Promise<void>;
  service(orgId: string, id: string): Promise<void>;
  project(orgId: string, id: string): Promise<void>;
}

function scopeOf(r: Pick<AlertRuleRow, 'scope_server_id' | 'scope_service_id' | 'scope_project_id'>): AlertScope {
  return {
    ...(r.scope_server_id ? { server_id: r.scope_server_id } : {}),
    ...(r.scope_service_id ? { service_id: r.scope_service_id } : {}),
    ...(r.scope_project_id ? { project_id: r.scope_project_id } : {}),
  };
}

function toRuleDto(r: AlertRuleRow) {
  return {
    id: r.id,
    org_id: r.org_id,
    name: r.name,
    kind: r.kind as AlertRuleKind,
    scope: scopeOf(r),
    condition: r.condition,
    severity: r.severity as 'critical' | 'warning' | 'info',
    for_seconds: r.for_seconds,
    cooldown_seconds: r.cooldown_seconds,
    channel_ids: r.channel_ids,
    enabled: r.enabled,
    last_evaluated_at: iso(r.last_evaluated_at),
    created_at: iso(r.created_at),
    updated_at: iso(r.updated_at),
  };
}

export function toEventDto(e: AlertEventRow, rule: { name: string; kind: string } | undefined) {
  return {
    id: e.id,
    rule_id: e.rule_id,
    rule_name: rule?.name ?? '',
    kind: (rule?.kind ?? 'deploy_failed') as AlertRuleKind,
    status: e.status,
    severity: e.severity as 'critical' | 'warning' | 'info',
    service_id: e.service_id,
    server_id: e.server_id,
    summary: e.summary,
    values: e.values,
    started_at: iso(e.started_at),
    fired_at: iso(e.fired_at),
    resolved_at: iso(e.resolved_at),
    acknowledged_by: e.acknowledged_by,
    acknowledged_at: iso(e.acknowledged_at),
    silenced: e.silenced,
  };
}

function toSilenceDto(s: AlertSilenceRow) {
  return { id: s.id, rule_id: s.rule_id, scope: scopeOf(s), until: iso(s.until), comment: s.comment, created_by: s.created_by, created_at: iso(s.created_at) };
}

/** Alert rules, events and silences as the API sees them. Evaluation is AlertEvaluator's and the listener's. */
export class AlertService {
  constructor(
    readonly repo: AlertsRepo,
    private readonly notifications: NotificationService,
    private readonly scopes: ScopeChecker,
    private readonly audit: AuditService,
    readonly engine: AlertEngine,
  ) {}

  orgIdOfRule(id: string) {
    return this.repo.orgIdOfRule(id);
  }
  orgIdOfEvent(id: string) {
    return this.repo.orgIdOfEvent(id);
  }
  orgIdOfSilence(id: string) {
    return this.repo.orgIdOfSilence(id);
  }

  async listRules(orgId: string) {
    return { items: (await this.repo.listRules(orgId)).map(toRuleDto) };
  }

  async getRule(orgId: string, id: string) {
    return toRuleDto(await this.rule(orgId, id));
  }

  async createRule(orgId: string, actor: Actor, input: CreateAlertRuleBody) {
    await this.checkScope(orgId, input.scope);
    await this.notifications.assertChannels(orgId, input.channel_ids);
    const row = await this.repo.insertRule(
      {
        org_id: orgId,
        name: input.name,
        kind: input.kind,
        ...this.scopeColumns(input.scope),
        // Parsed again for its kind's defaults (the body schema has checked it).
        condition: parseOrThrow(ALERT_CONDITION_SCHEMAS[input.kind], input.condition, `condition of a ${input.kind} rule`) as Record<string, unknown>,
        severity: input.severity,
        for_seconds: input.for_seconds,
        cooldown_seconds: input.cooldown_seconds,
        channel_ids: [...new Set(input.channel_ids)],
        enabled: input.enabled,
        created_by: actor.userId,
      },
      this.engine.now(),
    );
    await this.audit.record({ orgId, actorId: actor.userId, action: 'alert_rule.created', targetType: 'alert_rule', targetId: row.id, ip: actor.ip, userAgent: actor.userAgent, metadata: { name: row.name, kind: row.kind } });
    return toRuleDto(row);
  }

  /** How often the rule would have fired over the last 24 h (the editor's preview; nothing is saved). */
  async previewRule(orgId: string, input: CreateAlertRuleBody, ports: AlertDataPorts) {
    await this.checkScope(orgId, input.scope);
    return previewRule(orgId, input, ports, this.engine.now());
  }

  async updateRule(orgId: string, id: string, actor: Actor, input: UpdateAlertRuleBody) {
    const rule = await this.rule(orgId, id);
    const patch: Partial<NewRule> = {};
    if (input.scope) {
      await this.checkScope(orgId, input.scope);
      Object.assign(patch, this.scopeColumns(input.scope));
    }
    if (input.channel_ids) {
      await this.notifications.assertChannels(orgId, input.channel_ids);
      patch.channel_ids = [...new Set(input.channel_ids)];
    }
    if (input.condition) {
      const kind = rule.kind as AlertRuleKind;
      const parsed = parseOrThrow(ALERT_CONDITION_SCHEMAS[kind], input.condition, `condition of a ${kind} rule`);
      patch.condition = parsed as Record<string, unknown>;
    }
    for (const k of ['name', 'severity', 'for_seconds', 'cooldown_seconds', 'enabled'] as const) if (input[k] !== undefined) (patch as Record<string, unknown>)[k] = input[k];
    // A rule turned back on watches from now: what happened while it was off is not caught up on.
    const reenabled = input.enabled === true && !rule.enabled;
    const row = await this.repo.updateRule(rule.id, reenabled ? { ...patch, event_cursor: this.engine.now() } : patch);
    await this.audit.record({ orgId, actorId: actor.userId, action: 'alert_rule.updated', targetType: 'alert_rule', targetId: row.id, ip: actor.ip, userAgent: actor.userAgent, metadata: { fields: Object.keys(input) } });
    return toRuleDto(row);
  }

  async removeRule(orgId: string, id: string, actor: Actor) {
    const rule = await this.rule(orgId, id);
    await this.repo.deleteRule(rule.id);
    await this.audit.record({ orgId, actorId: actor.userId, action: 'alert_rule.deleted', targetType: 'alert_rule', targetId: rule.id, ip: actor.ip, userAgent: actor.userAgent, metadata: { name: rule.name } });
  }

  async listEvents(orgId: string, q: AlertEventListQuery, extra: { serviceId?: string; serverId?: string } = {}) {
    const rows = await this.repo.listEvents(orgId, { ruleId: q.rule_id, status: q.status, from: q.from ? new Date(q.from) : undefined, to: q.to ? new Date(q.to) : undefined, limit: q.limit, ...extra });
    const rules = new Map((await this.repo.ruleNames(rows.map((r) => r.rule_id))).map((r) => [r.id, r]));
    return { items: rows.map((r) => toEventDto(r, rules.get(r.rule_id))) };
  }

  async getEvent(orgId: string, id: string) {
    const e = await this.repo.findEvent(orgId, id);
    if (!e) throw new NotFoundError('Alert event');
    const [rule] = await this.repo.ruleNames([e.rule_id]);
    return { ...toEventDto(e, rule), deliveries: await this.notifications.deliveriesOfEvent(e.id) };
  }

  async ack(orgId: string, id: string, actor: Actor) {
    const e = await this.repo.findEvent(orgId, id);
    if (!e) throw new NotFoundError('Alert event');
    const row = e.acknowledged_by ? e : await this.repo.ack(e.id, actor.userId, this.engine.now());
    if (!e.acknowledged_by) await this.engine.acknowledged(row);
    const [rule] = await this.repo.ruleNames([e.rule_id]);
    return toEventDto(row, rule);
  }

  async listSilences(orgId: string) {
    return { items: (await this.repo.activeSilences(orgId, this.engine.now())).map(toSilenceDto) };
  }

  async createSilence(orgId: string, actor: Actor, input: CreateSilenceBody) {
    if (input.rule_id) await this.rule(orgId, input.rule_id);
    if (input.scope) await this.checkScope(orgId, input.scope);
    const cols = this.scopeColumns(input.scope ?? {});
    const row = await this.repo.insertSilence({ org_id: orgId, rule_id: input.rule_id ?? null, ...cols, until: new Date(input.until), comment: input.comment ?? null, created_by: actor.userId });
    await this.audit.record({ orgId, actorId: actor.userId, action: 'alert_silence.created', targetType: 'alert_silence', targetId: row.id, ip: actor.ip, userAgent: actor.userAgent, metadata: { until: input.until } });
    return toSilenceDto(row);
  }

  async removeSilence(orgId: string, id: string) {
    if (!(await this.repo.deleteSilence(orgId, id))) throw new NotFoundError('Silence');
  }

  /** A deleted channel leaves the rules that named it. */
  forgetChannel(orgId: string, channelId: string) {
    return this.repo.forgetChannel(orgId, channelId);
  }

  private async rule(orgId: string, id: string) {
    const rule = await this.repo.findRule(orgId, id);
    if (!rule) throw new NotFoundError('Alert rule');
    return rule;
  }

  private async checkScope(orgId: string, scope: AlertScope) {
    if (scope.server_id) await this.scopes.server(orgId, scope.server_id);
    if (scope.service_id) await this.scopes.service(orgId, scope.service_id);
    if (scope.project_id) await this.scopes.project(orgId, scope.project_id);
  }

  private scopeColumns(scope: AlertScope) {
    return { scope_server_id: scope.server_id ?? null, scope_service_id: scope.service_id ?? null, scope_project_id: scope.project_id ?? null };
  }
}
