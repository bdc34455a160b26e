import { contracts } from '@syntra/shared';
import type { AppDeps } from '../../deps.js';
import { defineRoute } from '../../http/route.js';
import { byService } from '../services/index.js';

const byRule = { lookup: (p: Record<string, string>, deps: AppDeps) => deps.services.alerts.orgIdOfRule(p.ruleId!) };
const byEvent = { lookup: (p: Record<string, string>, deps: AppDeps) => deps.services.alerts.orgIdOfEvent(p.eventId!) };
const bySilence = { lookup: (p: Record<string, string>, deps: AppDeps) => deps.services.alerts.orgIdOfSilence(p.silenceId!) };
const byServer = { lookup: (p: Record<string, string>, deps: AppDeps) => deps.services.servers.orgIdOf(p.serverId!) };
const actorOf = (userId: string, meta: { ip: string; userAgent: string | null }) => ({ userId, ip: meta.ip, userAgent: meta.userAgent });

export const alertRoutes = [
  defineRoute(contracts.getAlertRules, {
    summary: "The organisation's alert rules",
    tag: 'alerts',
    access: { kind: 'org', permission: 'alerts.read', org: 'header' },
    handler: ({ org }, deps) => deps.services.alerts.listRules(org.id),
  }),
  defineRoute(contracts.postAlertRules, {
    summary: 'Create an alert rule; its condition is validated for its kind (a 400 names the field)',
    tag: 'alerts',
    access: { kind: 'org', permission: 'alerts.write', org: 'header' },
    status: 201,
    handler: ({ org, auth, meta, body }, deps) => deps.services.alerts.createRule(org.id, actorOf(auth.user.id, meta), body),
  }),
  defineRoute(contracts.postAlertRulesPreview, {
    summary: 'How often a rule (not saved) would have fired over the last 24 h of stored data',
    tag: 'alerts',
    access: { kind: 'org', permission: 'alerts.write', org: 'header' },
    handler: ({ org, body }, deps) => deps.services.alerts.previewRule(org.id, body, deps.services.alertData),
  }),
  defineRoute(contracts.getAlertRulesByRuleId, {
    summary: 'One alert rule',
    tag: 'alerts',
    access: { kind: 'org', permission: 'alerts.read', org: byRule },
    handler: ({ org, params }, deps) => deps.services.alerts.getRule(org.id, params.ruleId),
  }),
  defineRoute(contracts.patchAlertRulesByRuleId, {
    summary: 'Change an alert rule (its kind is fixed; a new condition is validated for it)',
    tag: 'alerts',
    access: { kind: 'org', permission: 'alerts.write', org: byRule },
    handler: ({ org, auth, meta, params, body }, deps) => deps.services.alerts.updateRule(org.id, params.ruleId, actorOf(auth.user.id, meta), body),
  }),
  defineRoute(contracts.deleteAlertRulesByRuleId, {
    summary: 'Delete an alert rule and its events',
    tag: 'alerts',
    access: { kind: 'org', permission: 'alerts.write', org: byRule },
    handler: async ({ org, auth, meta, params }, deps) => {
      await deps.services.alerts.removeRule(org.id, params.ruleId, actorOf(auth.user.id, meta));
      return { ok: true as const };
    },
  }),
  defineRoute(contracts.getAlertEvents, {
    summary: 'Alert events, newest first, by rule, status and start time',
    tag: 'alerts',
    access: { kind: 'org', permission: 'alerts.read', org: 'header' },
    handler: ({ org, query }, deps) => deps.services.alerts.listEvents(org.id, query),
  }),
  defineRoute(contracts.getAlertEventsByEventId, {
    summary: 'One alert event with its delivery log (attempts and status codes per channel)',
    tag: 'alerts',
    access: { kind: 'org', permission: 'alerts.read', org: byEvent },
    handler: ({ org, params }, deps) => deps.services.alerts.getEvent(org.id, params.eventId),
  }),
  defineRoute(contracts.postAlertEventsByEventIdAck, {
    summary: 'Acknowledge an alert event (once; later calls answer the first acknowledgement)',
    tag: 'alerts',
    access: { kind: 'org', permission: 'alerts.write', org: byEvent },
    handler: ({ org, auth, meta, params }, deps) => deps.services.alerts.ack(org.id, params.eventId, actorOf(auth.user.id, meta)),
  }),
  defineRoute(contracts.getSilences, {
    summary: 'Silences in force',
    tag: 'alerts',
    access: { kind: 'org', permission: 'alerts.read', org: 'header' },
    handler: ({ org }, deps) => deps.services.alerts.listSilences(org.id),
  }),
  defineRoute(contracts.postSilences, {
    summary: 'Silence a rule or a scope until a time: events are still recorded, nobody is told',
    tag: 'alerts',
    access: { kind: 'org', permission: 'alerts.write', org: 'header' },
    status: 201,
    handler: ({ org, auth, meta, body }, deps) => deps.services.alerts.createSilence(org.id, actorOf(auth.user.id, meta), body),
  }),
  defineRoute(contracts.deleteSilencesBySilenceId, {
    summary: 'End a silence',
    tag: 'alerts',
    access: { kind: 'org', permission: 'alerts.write', org: bySilence },
    handler: async ({ org, params }, deps) => {
      await deps.services.alerts.removeSilence(org.id, params.silenceId);
      return { ok: true as const };
    },
  }),
  defineRoute(contracts.getServicesByServiceIdTimeline, {
    summary: "A service's incident timeline: deploys, alert events, failed health checks (default: the last 24 h)",
    tag: 'alerts',
    access: { kind: 'org', permission: 'alerts.read', org: byService },
    handler: ({ org, params, query }, deps) => deps.services.timeline.forService(org.id, params.serviceId, query),
  }),
  defineRoute(contracts.getServersByServerIdTimeline, {
    summary: "A server's incident timeline: offline/online and alert events (default: the last 24 h)",
    tag: 'alerts',
    access: { kind: 'org', permission: 'alerts.read', org: byServer },
    handler: ({ org, params, query }, deps) => deps.services.timeline.forServer(org.id, params.serverId, query),
  }),
];
