import { contracts } from '@syntra/shared';
import type { AppDeps } from '../../deps.js';
import { defineRoute, type RequestMeta } from '../../http/route.js';
import type { Principal } from '../auth/index.js';

const lookup = { lookup: (params: Record<string, string>, deps: AppDeps) => deps.services.servers.orgIdOf(params.serverId ?? '') };
const actorOf = (auth: Principal, meta: RequestMeta) => ({ userId: auth.user.id, ip: meta.ip, userAgent: meta.userAgent });

export const serverRoutes = [
  defineRoute(contracts.getServers, {
    summary: "The organisation's servers with their live status and latest usage, newest first",
    tag: 'servers',
    access: { kind: 'org', permission: 'servers.read', org: 'header' },
    handler: ({ org, query }, deps) => deps.services.servers.list(org.id, query),
  }),
  defineRoute(contracts.postServers, {
    summary: 'Register a server; returns its agent token (shown once) and the install command',
    tag: 'servers',
    access: { kind: 'org', permission: 'servers.write', org: 'header' },
    status: 201,
    handler: ({ org, auth, meta, body }, deps) => deps.services.servers.create(org.id, actorOf(auth, meta), body),
  }),
  defineRoute(contracts.getServersByServerId, {
    summary: 'One server',
    tag: 'servers',
    access: { kind: 'org', permission: 'servers.read', org: lookup },
    handler: ({ org, params }, deps) => deps.services.servers.get(org.id, params.serverId),
  }),
  defineRoute(contracts.patchServersByServerId, {
    summary: 'Rename a server or change its tags',
    tag: 'servers',
    access: { kind: 'org', permission: 'servers.write', org: lookup },
    handler: ({ org, auth, meta, params, body }, deps) => deps.services.servers.update(org.id, params.serverId, actorOf(auth, meta), body),
  }),
  defineRoute(contracts.deleteServersByServerId, {
    summary: 'Delete a server; its agent is disconnected (4009) and its token stops working',
    tag: 'servers',
    access: { kind: 'org', permission: 'servers.write', org: lookup },
    handler: async ({ org, auth, meta, params }, deps) => {
      await deps.services.servers.remove(org.id, params.serverId, actorOf(auth, meta));
      return { ok: true as const };
    },
  }),
  defineRoute(contracts.postServersByServerIdRotateToken, {
    summary: 'Issue a new agent token (shown once); the old one is revoked and its agent disconnected (4009)',
    tag: 'servers',
    access: { kind: 'org', permission: 'servers.write', org: lookup },
    handler: ({ org, auth, meta, params }, deps) => deps.services.servers.rotateToken(org.id, params.serverId, actorOf(auth, meta)),
  }),
  defineRoute(contracts.getServersByServerIdMetrics, {
    summary: 'Host metrics (cpu, memory, disk, load) averaged over `step`-second buckets between `from` and `to`',
    tag: 'servers',
    access: { kind: 'org', permission: 'servers.read', org: lookup },
    handler: ({ org, params, query }, deps) => deps.services.servers.metricsOf(org.id, params.serverId, query),
  }),
  defineRoute(contracts.getServersByServerIdStatusHistory, {
    summary: 'Status changes of a server (online, offline, …) with their reason, newest first',
    tag: 'servers',
    access: { kind: 'org', permission: 'servers.read', org: lookup },
    // Paged by the events' bigserial id alone.
    handler: ({ org, params, query }, deps) => deps.services.servers.statusHistory(org.id, params.serverId, query),
  }),
  defineRoute(contracts.postServersByServerIdCommands, {
    summary: "Send a command to the server's agent; waits up to wait_ms for the answer, else it stays queued until the agent is back",
    tag: 'servers',
    access: { kind: 'org', permission: 'servers.write', org: lookup },
    status: 201,
    handler: ({ org, auth, meta, params, body }, deps) => deps.services.servers.command(org.id, params.serverId, actorOf(auth, meta), body),
  }),
  defineRoute(contracts.getServersByServerIdCommandsByCommandId, {
    summary: 'A command and its answer',
    tag: 'servers',
    access: { kind: 'org', permission: 'servers.read', org: lookup },
    handler: ({ org, params }, deps) => deps.services.servers.getCommand(org.id, params.serverId, params.commandId),
  }),
];
