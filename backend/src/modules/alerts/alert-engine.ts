import type { AlertSeverity } from '@syntra/shared';
import type { Logger } from '../../logger.js';
import type { NotificationMessage, NotificationService } from '../notifications/index.js';
import type { StreamPublisher } from '../stream/index.js';
import type { AlertsRepo } from './alerts.repo.js';
import type { AlertEventRow, AlertRuleRow, AlertSilenceRow } from './alerts.tables.js';
import type { Clock } from './clock.js';

/** What one evaluation saw for one subject of a rule. */
export interface Observation {
  /** `server:<id>`, `service:<id>`, `deployment:<id>`…: one open event per rule and subject. */
  subjectKey: string;
  /** The condition holds now. */
  active: boolean;
  summary: string;
  values: Record<string, unknown>;
  serviceId: string | null;
  serverId: string | null;
  projectId: string | null;
  /** For event kinds: the occurrence (every worker hears it; one event per rule and occurrence). */
  occurrenceKey?: string;
  /** Hysteresis: while an event is firing, whether it still holds (past the resolve threshold); default `active`. */
  holdsWhileFiring?: boolean;
  /** Notification-only kinds: the event is born resolved (told once, nothing to resolve later). */
  notifyOnly?: boolean;
}

/** Kinds whose events are notifications only: born resolved, told once. */
export const NOTIFY_ONLY_KINDS: readonly string[] = ['deploy_succeeded'];

/** How long the condition must hold before pending turns firing. */
export function holdSeconds(rule: AlertRuleRow): number {
  const offline = typeof rule.condition.offline_seconds === 'number' ? rule.condition.offline_seconds : 0;
  return Math.max(rule.for_seconds, offline);
}

function silencedBy(silences: readonly AlertSilenceRow[], rule: AlertRuleRow, o: Pick<Observation, 'serviceId' | 'serverId' | 'projectId'>): boolean {
  return silences.some((s) => {
    if (s.rule_id && s.rule_id !== rule.id) return false;
    if (s.scope_server_id && s.scope_server_id !== o.serverId) return false;
    if (s.scope_service_id && s.scope_service_id !== o.serviceId) return false;
    if (s.scope_project_id && s.scope_project_id !== o.projectId) return false;
    return true;
  });
}

/**
 * The state machine of alert events: pending → firing → resolved, with for_seconds, cooldowns and
 * silences, and what each transition tells (the console stream, the rule's channels). Every
 * transition is a conditional write (insert ignoring conflicts, update where the old state holds),
 * so two workers observing the same thing cause one transition and one notification.
 */
export class AlertEngine {
  constructor(
    private readonly repo: AlertsRepo,
    private readonly notifications: NotificationService,
    private readonly publisher: StreamPublisher,
    private readonly clock: Clock,
    private readonly publicUrl: string,
    private readonly log: Logger,
  ) {}

  now() {
    return this.clock.now();
  }

  async observe(rule: AlertRuleRow, o: Observation): Promise<void> {
    const now = this.clock.now();
    const open = await this.repo.openEvent(rule.id, o.subjectKey);
    const active = open?.status === 'firing' && o.holdsWhileFiring !== undefined ? o.holdsWhileFiring : o.active;
    if (!active) {
      if (open?.status === 'pending') await this.repo.dropPending(open.id);
      if (open?.status === 'firing') {
        const resolved = await this.repo.resolve(open.id, now);
        if (resolved) await this.told(rule, resolved, 'resolved');
      }
      return;
    }
    if (open) {
      if (open.status === 'pending' && now.getTime() - open.started_at.getTime() >= holdSeconds(rule) * 1000) {
        const fired = await this.repo.promote(open.id, now, o.values);
        if (fired) await this.fired(rule, fired);
      }
      return;
    }
    if (rule.last_fired_at && now.getTime() - rule.last_fired_at.getTime() < rule.cooldown_seconds * 1000) return;
    const silenced = silencedBy(await this.repo.activeSilences(rule.org_id, now), rule, o);
    const hold = o.notifyOnly ? 0 : holdSeconds(rule);
    const status = o.notifyOnly ? 'resolved' : hold > 0 ? 'pending' : 'firing';
    const created = await this.repo.insertEvent({
      org_id: rule.org_id,
      rule_id: rule.id,
      status,
      severity: rule.severity,
      subject_key: o.subjectKey,
      occurrence_key: o.occurrenceKey ?? null,
      service_id: o.serviceId,
      server_id: o.serverId,
      summary: o.summary.slice(0, 2000),
      values: o.values,
      silenced,
      started_at: now,
      fired_at: status === 'pending' ? null : now,
      resolved_at: status === 'resolved' ? now : null,
    });
    if (!created) return; // another worker got there first
    if (status === 'pending') await this.publish(rule, created);
    else await this.fired(rule, created);
  }

  /** Pending events of `rule` whose hold has passed turn firing (a timer or the evaluator's tick). */
  async promoteDue(rule: AlertRuleRow): Promise<void> {
    const now = this.clock.now();
    for (const e of await this.repo.openEventsOfRule(rule.id)) {
      if (e.status !== 'pending' || now.getTime() - e.started_at.getTime() < holdSeconds(rule) * 1000) continue;
      const fired = await this.repo.promote(e.id, now);
      if (fired) await this.fired(rule, fired);
    }
  }

  async acknowledged(event: AlertEventRow) {
    const rule = await this.repo.ruleById(event.rule_id);
    if (rule) await this.publish(rule, event);
  }

  private async fired(rule: AlertRuleRow, event: AlertEventRow) {
    await this.repo.markFired(rule.id, event.fired_at ?? this.clock.now());
    rule.last_fired_at = event.fired_at;
    await this.told(rule, event, 'firing');
  }

  private async told(rule: AlertRuleRow, event: AlertEventRow, transition: 'firing' | 'resolved') {
    if (event.silenced) return; // recorded, told to nobody
    await this.publish(rule, event);
    // A notification-only event (born resolved) is told once, as a firing.
    if (transition === 'resolved' && NOTIFY_ONLY_KINDS.includes(rule.kind)) return;
    try {
      await this.notifications.notifyChannels({ orgId: rule.org_id, topic: `alert.${transition}:${event.id}`, alertEventId: event.id, message: this.message(rule, event, transition) }, rule.channel_ids);
    } catch (err) {
      this.log.warn({ err, event_id: event.id }, 'could not queue alert notifications');
    }
  }

  private async publish(rule: AlertRuleRow, e: AlertEventRow) {
    const data = {
      event_id: e.id,
      rule_id: rule.id,
      rule_name: rule.name,
      status: e.status,
      severity: e.severity as AlertSeverity,
      ...(e.service_id ? { service_id: e.service_id } : {}),
      ...(e.server_id ? { server_id: e.server_id } : {}),
      started_at: e.started_at.toISOString(),
      ...(e.resolved_at ? { resolved_at: e.resolved_at.toISOString() } : {}),
      summary: e.summary,
      acknowledged: e.acknowledged_by !== null,
    };
    // Live news: the event is stored, so a lost message costs a console a refresh.
    await this.publisher.publish([this.publisher.event('alert.event', rule.org_id, data)]).catch(() => undefined);
  }

  private message(rule: AlertRuleRow, e: AlertEventRow, transition: 'firing' | 'resolved'): NotificationMessage {
    const base = this.publicUrl.replace(/\/$/, '');
    const around = new URLSearchParams({ event: e.id, at: e.started_at.toISOString() }).toString();
    return {
      version: 1,
      type: `alert.${transition}`,
      title: `${transition === 'resolved' ? 'Resolved' : rule.severity === 'critical' ? 'CRITICAL' : rule.severity === 'warning' ? 'Warning' : 'Info'}: ${rule.name}`,
      status: transition,
      severity: rule.severity as NotificationMessage['severity'],
      rule: { id: rule.id, name: rule.name, kind: rule.kind },
      event: {
        id: e.id,
        status: e.status,
        severity: e.severity,
        summary: e.summary,
        started_at: e.started_at.toISOString(),
        fired_at: e.fired_at?.toISOString() ?? null,
        resolved_at: e.resolved_at?.toISOString() ?? null,
        service_id: e.service_id,
        server_id: e.server_id,
      },
      deployment: null,
      values: e.values,
      links: {
        console: base,
        event: `${base}/alerts/events/${e.id}`,
        // The timeline centred on this incident (its marker and row stand out).
        ...(e.service_id ? { timeline: `${base}/services/${e.service_id}/timeline?${around}` } : e.server_id ? { timeline: `${base}/servers/${e.server_id}/timeline?${around}` } : {}),
      },
      org_id: rule.org_id,
      sent_at: this.clock.now().toISOString(),
    };
  }
}
