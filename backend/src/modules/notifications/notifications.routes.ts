import { contracts } from '@syntra/shared';
import type { AppDeps } from '../../deps.js';
import { defineRoute } from '../../http/route.js';

const byChannel = { lookup: (p: Record<string, string>, deps: AppDeps) => deps.services.notifications.orgIdOf(p.channelId!) };
const actorOf = (userId: string, meta: { ip: string; userAgent: string | null }) => ({ userId, ip: meta.ip, userAgent: meta.userAgent });

export const notificationRoutes = [
  defineRoute(contracts.getNotificationChannels, {
    summary: "The organisation's notification channels (config without its secrets; `secrets_set` names those stored)",
    tag: 'alerts',
    access: { kind: 'org', permission: 'alerts.read', org: 'header' },
    handler: ({ org }, deps) => deps.services.notifications.list(org.id),
  }),
  defineRoute(contracts.postNotificationChannels, {
    summary: 'Add a channel (webhook, slack, discord, email, pagerduty); URLs to private addresses are refused unless allowed',
    tag: 'alerts',
    access: { kind: 'org', permission: 'alerts.write', org: 'header' },
    status: 201,
    handler: ({ org, auth, meta, body }, deps) => deps.services.notifications.create(org.id, actorOf(auth.user.id, meta), body),
  }),
  defineRoute(contracts.patchNotificationChannelsByChannelId, {
    summary: "Change a channel's name, config (secrets left out are kept) or deploy notifications",
    tag: 'alerts',
    access: { kind: 'org', permission: 'alerts.write', org: byChannel },
    handler: ({ org, auth, meta, params, body }, deps) => deps.services.notifications.update(org.id, params.channelId, actorOf(auth.user.id, meta), body),
  }),
  defineRoute(contracts.deleteNotificationChannelsByChannelId, {
    summary: 'Remove a channel (rules stop sending to it; its delivery log stays)',
    tag: 'alerts',
    access: { kind: 'org', permission: 'alerts.write', org: byChannel },
    handler: async ({ org, auth, meta, params }, deps) => {
      await deps.services.notifications.remove(org.id, params.channelId, actorOf(auth.user.id, meta));
      // Rules that named it stop naming it (alerting depends on notifications, not the other way).
      await deps.services.alerts.forgetChannel(org.id, params.channelId);
      return { ok: true as const };
    },
  }),
  defineRoute(contracts.postNotificationChannelsByChannelIdTest, {
    summary: 'Send a test message to the channel now and report what the receiver answered',
    tag: 'alerts',
    access: { kind: 'org', permission: 'alerts.write', org: byChannel },
    handler: ({ org, params }, deps) => deps.services.notifications.test(org.id, params.channelId),
  }),
];
