import type { Redis } from 'ioredis';
import { parseStreamEvent, type StreamEvent, type StreamEventData } from '@syntra/shared';
import type { Logger } from '../../logger.js';
import type { NotificationMessage, NotificationService } from '../notifications/index.js';
import { type AlertEngine, holdSeconds } from './alert-engine.js';
import type { AlertsRepo } from './alerts.repo.js';
import type { AlertRuleRow } from './alerts.tables.js';
import { healthObservation } from './evaluators.js';
import type { AlertDataPorts } from './ports.js';

/** Sentry's levels, least to most severe: a rule's `level` is the least it fires for. */
const LEVEL_RANK = { debug: 0, info: 1, warning: 2, error: 3, fatal: 4 } as const;

/** An issue as the event kinds see it (from the stream's announcement or the issue itself). */
export interface SeenIssue {
  issue_id: string;
  project_id: string;
  title: string;
  culprit: string | null;
  level: string;
  environments: readonly string[];
}

/** The service an event is about, with the server it runs on. */
export interface SeenService {
  id: string;
  server_id: string;
  name: string;
}

/** The console stream's Redis channels (stream.publisher.ts): every organisation's. */
const STREAM_PATTERN = 'syntra:stream:*';

/** Whether the rule's scope (a service, project or server; none: the organisation) covers the subject. */
export function ruleCovers(rule: AlertRuleRow, where: { serviceId?: string | null; serverId?: string | null; projectId?: string | null }): boolean {
  if (rule.scope_service_id) return rule.scope_service_id === where.serviceId;
  if (rule.scope_project_id) return rule.scope_project_id === where.projectId;
  if (rule.scope_server_id) return rule.scope_server_id === where.serverId;
  return true;
}

/**
 * Event kinds fire as the event happens: the listener hears what the deploy pipeline, server presence
 * and the health intake already publish on the console stream (Redis pub/sub), so no module has to
 * call alerting. Every worker hears every event; the engine's conditional writes make one of them
 * win. A message lost while no worker listens is not replayed (the stream is live news): the
 * evaluator's catch-up (catch-up.ts) reads the durable records behind it and fires what was missed
 * through the same `observe*` methods, with the same occurrence keys.
 */
export class AlertEventListener {
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(
    private readonly subscriber: Redis,
    private readonly repo: AlertsRepo,
    private readonly engine: AlertEngine,
    private readonly ports: AlertDataPorts,
    private readonly notifications: NotificationService,
    private readonly publicUrl: string,
    private readonly log: Logger,
  ) {}

  async start() {
    this.subscriber.on('pmessage', (_pattern: string, _channel: string, payload: string) => void this.onMessage(payload));
    await this.subscriber.psubscribe(STREAM_PATTERN);
  }

  async close() {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    await this.subscriber.punsubscribe(STREAM_PATTERN).catch(() => undefined);
  }

  private async onMessage(payload: string) {
    let list: unknown;
    try {
      list = JSON.parse(payload);
    } catch {
      return;
    }
    for (const raw of Array.isArray(list) ? list : []) {
      const event = parseStreamEvent(raw);
      if (!event) continue;
      try {
        await this.handle(event);
      } catch (err) {
        this.log.warn({ err, type: event.type }, 'alert event handling failed');
      }
    }
  }

  /** Handles one stream event (public for tests that feed events directly). */
  async handle(event: StreamEvent) {
    if (this.closed) return;
    if (event.type === 'deployment.status') await this.deployment(event.org_id, event.data as StreamEventData<'deployment.status'>);
    else if (event.type === 'server.status') await this.server(event.org_id, event.data as StreamEventData<'server.status'>, event.at);
    else if (event.type === 'service.health') await this.health(event.org_id, event.data as StreamEventData<'service.health'>);
    else if (event.type === 'issue.created' || event.type === 'issue.regressed') await this.issue(event.org_id, event.type, event.data as StreamEventData<'issue.created'>, event.at);
    else if (event.type === 'issue.updated') await this.issueUpdated(event.org_id, event.data as StreamEventData<'issue.updated'>);
  }

  /** new_issue / issue_regressed: fire for the issue; its level must reach the rule's, its environment match. */
  private async issue(orgId: string, type: 'issue.created' | 'issue.regressed', i: StreamEventData<'issue.created'>, at: string) {
    const kind = type === 'issue.created' ? 'new_issue' : 'issue_regressed';
    const service = await this.ports.serviceOf(i.service_id);
    if (!service || service.org_id !== orgId) return;
    // An issue is created once, so its key is the same whoever sees it (the catch-up reads it from the issue).
    const occurrenceKey = kind === 'new_issue' ? `issue.created:${i.issue_id}` : `${type}:${i.issue_id}:${at}`;
    const issue = { ...i, environments: i.environment ? [i.environment] : [] };
    for (const rule of await this.repo.enabledRulesOfKind(orgId, [kind])) await this.observeIssue(rule, issue, { ...service, id: i.service_id }, occurrenceKey);
  }

  /** One rule's view of a new or regressed issue (the live path and the catch-up). */
  async observeIssue(rule: AlertRuleRow, i: SeenIssue, service: SeenService, occurrenceKey: string) {
    const where = { serviceId: service.id, serverId: service.server_id, projectId: i.project_id };
    if (!ruleCovers(rule, where)) return;
    const c = rule.condition as { level?: string; environment?: string };
    if (c.level && (LEVEL_RANK[i.level as keyof typeof LEVEL_RANK] ?? 0) < LEVEL_RANK[c.level as keyof typeof LEVEL_RANK]) return;
    if (c.environment && !i.environments.includes(c.environment)) return;
    await this.engine.observe(rule, {
      subjectKey: `issue:${i.issue_id}`,
      occurrenceKey,
      active: true,
      summary: `${rule.kind === 'new_issue' ? 'New issue' : 'Regressed'} in ${service.name}: ${i.title}${i.culprit ? ` (${i.culprit})` : ''}`,
      values: { issue_id: i.issue_id, level: i.level, environment: c.environment ?? i.environments[0] ?? null, culprit: i.culprit, title: i.title },
      ...where,
    });
  }

  /** An issue resolved or ignored resolves its open new_issue / issue_regressed events. */
  private async issueUpdated(orgId: string, u: StreamEventData<'issue.updated'>) {
    if (u.status !== 'resolved' && u.status !== 'ignored') return;
    for (const rule of await this.repo.enabledRulesOfKind(orgId, ['new_issue', 'issue_regressed'])) {
      const open = await this.repo.openEvent(rule.id, `issue:${u.issue_id}`);
      if (open) await this.engine.observe(rule, { subjectKey: open.subject_key, active: false, summary: '', values: {}, serviceId: u.service_id, serverId: null, projectId: u.project_id });
    }
  }

  private async deployment(orgId: string, d: StreamEventData<'deployment.status'>) {
    const service = await this.ports.serviceOf(d.service_id);
    if (!service || service.org_id !== orgId) return;
    const step = d.status === 'failed' ? 'failed' : d.status === 'running' ? 'succeeded' : (d.status === 'building' || d.status === 'deploying') && (d.previous_status === null || d.previous_status === 'queued') ? 'started' : null;
    if (step) await this.deployNotice(orgId, d, service.name, step);
    if (d.status !== 'failed' && d.status !== 'running') return;
    for (const rule of await this.repo.enabledRulesOfKind(orgId, ['deploy_failed', 'deploy_succeeded'])) await this.observeDeploy(rule, d, { ...service, id: d.service_id });
  }

  /**
   * One rule's view of a deployment that failed or went live (the live path and the catch-up): a
   * failure fires deploy_failed, a later successful deploy of the service resolves its failed ones.
   */
  async observeDeploy(rule: AlertRuleRow, d: { deployment_id: string; service_id: string; status: string; error_message: string | null }, service: SeenService & { project_id: string }) {
    const where = { serviceId: d.service_id, serverId: service.server_id, projectId: service.project_id };
    if (!ruleCovers(rule, where)) return;
    if (rule.kind === 'deploy_failed' && d.status === 'running') {
      for (const open of await this.repo.openEventsOfRule(rule.id)) {
        if (open.service_id === d.service_id && open.subject_key !== `deployment:${d.deployment_id}`) await this.engine.observe(rule, { subjectKey: open.subject_key, active: false, summary: '', values: {}, ...where });
      }
      return;
    }
    const failed = rule.kind === 'deploy_failed';
    if (failed !== (d.status === 'failed')) return;
    await this.engine.observe(rule, {
      subjectKey: `deployment:${d.deployment_id}`,
      occurrenceKey: `deployment:${d.deployment_id}:${d.status}`,
      active: true,
      notifyOnly: !failed,
      summary: failed ? `Deploy of ${service.name} failed${d.error_message ? `: ${d.error_message}` : ''}` : `Deploy of ${service.name} succeeded`,
      values: { deployment_id: d.deployment_id, status: d.status, error_message: d.error_message },
      ...where,
    });
  }

  private async server(orgId: string, s: StreamEventData<'server.status'>, at: string) {
    if (s.status !== 'offline' && s.status !== 'online') return;
    for (const rule of await this.repo.enabledRulesOfKind(orgId, ['server_offline'])) await this.observeServer(rule, s, `offline:${s.server_id}:${at}`);
  }

  /** One rule's view of a server going offline (fires after the hold) or coming back (resolves). */
  async observeServer(rule: AlertRuleRow, s: { server_id: string; name: string; status: string; reason: string | null }, occurrenceKey: string) {
    if (!ruleCovers(rule, { serverId: s.server_id })) return;
    const offline = s.status === 'offline';
    await this.engine.observe(rule, {
      subjectKey: `server:${s.server_id}`,
      ...(offline ? { occurrenceKey } : {}),
      active: offline,
      summary: `Server ${s.name} is offline${s.reason ? ` (${s.reason})` : ''}`,
      values: { server_id: s.server_id, reason: s.reason },
      serviceId: null,
      serverId: s.server_id,
      projectId: null,
    });
    if (offline && holdSeconds(rule) > 0) this.promoteLater(rule, holdSeconds(rule));
  }

  private async health(orgId: string, h: StreamEventData<'service.health'>) {
    const service = await this.ports.serviceOf(h.service_id);
    if (!service || service.org_id !== orgId) return;
    const rules = (await this.repo.enabledRulesOfKind(orgId, ['health_failing'])).filter((r) => ruleCovers(r, { serviceId: h.service_id, serverId: service.server_id, projectId: service.project_id }));
    for (const rule of rules) {
      await this.engine.observe(rule, await healthObservation(rule, this.ports, { ...service, id: h.service_id }, this.engine.now()));
      if (holdSeconds(rule) > 0) this.promoteLater(rule, holdSeconds(rule));
    }
  }

  /** Turns the rule's pending events firing as soon as their hold passes (the tick would, later). */
  private promoteLater(rule: AlertRuleRow, seconds: number) {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.engine.promoteDue(rule).catch((err: unknown) => this.log.warn({ err }, 'alert promotion failed'));
    }, seconds * 1000 + 50);
    timer.unref();
    this.timers.add(timer);
  }

  private async deployNotice(orgId: string, d: StreamEventData<'deployment.status'>, serviceName: string, step: 'started' | 'succeeded' | 'failed') {
    const base = this.publicUrl.replace(/\/$/, '');
    const message: NotificationMessage = {
      version: 1,
      type: `deploy.${step}`,
      title: `Deploy of ${serviceName} ${step}`,
      status: d.status,
      severity: step === 'failed' ? 'critical' : 'info',
      rule: null,
      event: null,
      deployment: { id: d.deployment_id, service_id: d.service_id, status: d.status, error_message: d.error_message },
      values: {},
      links: { console: base, deployment: `${base}/deployments/${d.deployment_id}`, timeline: `${base}/services/${d.service_id}/timeline` },
      org_id: orgId,
      sent_at: this.engine.now().toISOString(),
    };
    await this.notifications.notifyDeployStep({ orgId, topic: `deploy.${step}:${d.deployment_id}`, alertEventId: null, message }, step);
  }
}
