import { z } from 'zod';
import {
  CreateServerBodySchema,
  IdSchema,
  OkSchema,
  SerialPageQuerySchema,
  ServerCommandBodySchema,
  ServerCommandSchema,
  ServerCredentialsSchema,
  ServerListQuerySchema,
  ServerMetricsQuerySchema,
  ServerMetricsSchema,
  ServerSchema,
  ServerStatusEventSchema,
  UpdateServerBodySchema,
  pageOf,
} from '@syntra/shared';
import type { AppDeps } from '../../deps.js';
import { defineRoute, type RequestMeta } from '../../http/route.js';
import type { Principal } from '../auth/index.js';

const ServerParams = z.object({ serverId: IdSchema });
const lookup = { lookup: (params: Record<string, string>, deps: AppDeps) => deps.services.servers.orgIdOf(params.serverId ?? '') };
const actorOf = (auth: Principal, meta: RequestMeta) => ({ userId: auth.user.id, ip: meta.ip, userAgent: meta.userAgent });

export const serverRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/v1/servers',
    summary: "The organisation's servers with their live status and latest usage, newest first",
    tag: 'servers',
    access: { kind: 'org', permission: 'servers.read', org: 'header' },
    query: ServerListQuerySchema,
    response: pageOf(ServerSchema),
    handler: ({ org, query }, deps) => deps.services.servers.list(org.id, query),
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/servers',
    summary: 'Register a server; returns its agent token (shown once) and the install command',
    tag: 'servers',
    access: { kind: 'org', permission: 'servers.write', org: 'header' },
    body: CreateServerBodySchema,
    response: ServerCredentialsSchema,
    status: 201,
    handler: ({ org, auth, meta, body }, deps) => deps.services.servers.create(org.id, actorOf(auth, meta), body),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/servers/:serverId',
    summary: 'One server',
    tag: 'servers',
    access: { kind: 'org', permission: 'servers.read', org: lookup },
    params: ServerParams,
    response: ServerSchema,
    handler: ({ org, params }, deps) => deps.services.servers.get(org.id, params.serverId),
  }),
  defineRoute({
    method: 'patch',
    path: '/api/v1/servers/:serverId',
    summary: 'Rename a server or change its tags',
    tag: 'servers',
    access: { kind: 'org', permission: 'servers.write', org: lookup },
    params: ServerParams,
    body: UpdateServerBodySchema,
    response: ServerSchema,
    handler: ({ org, auth, meta, params, body }, deps) => deps.services.servers.update(org.id, params.serverId, actorOf(auth, meta), body),
  }),
  defineRoute({
    method: 'delete',
    path: '/api/v1/servers/:serverId',
    summary: 'Delete a server; its agent is disconnected (4009) and its token stops working',
    tag: 'servers',
    access: { kind: 'org', permission: 'servers.write', org: lookup },
    params: ServerParams,
    response: OkSchema,
    handler: async ({ org, auth, meta, params }, deps) => {
      await deps.services.servers.remove(org.id, params.serverId, actorOf(auth, meta));
      return { ok: true as const };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/servers/:serverId/rotate-token',
    summary: 'Issue a new agent token (shown once); the old one is revoked and its agent disconnected (4009)',
    tag: 'servers',
    access: { kind: 'org', permission: 'servers.write', org: lookup },
    params: ServerParams,
    response: ServerCredentialsSchema,
    handler: ({ org, auth, meta, params }, deps) => deps.services.servers.rotateToken(org.id, params.serverId, actorOf(auth, meta)),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/servers/:serverId/metrics',
    summary: 'Host metrics (cpu, memory, disk, load) averaged over `step`-second buckets between `from` and `to`',
    tag: 'servers',
    access: { kind: 'org', permission: 'servers.read', org: lookup },
    params: ServerParams,
    query: ServerMetricsQuerySchema,
    response: ServerMetricsSchema,
    handler: ({ org, params, query }, deps) => deps.services.servers.metricsOf(org.id, params.serverId, query),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/servers/:serverId/status-history',
    summary: 'Status changes of a server (online, offline, …) with their reason, newest first',
    tag: 'servers',
    access: { kind: 'org', permission: 'servers.read', org: lookup },
    params: ServerParams,
    // Paged by the events' bigserial id alone.
    query: SerialPageQuerySchema,
    response: pageOf(ServerStatusEventSchema),
    handler: ({ org, params, query }, deps) => deps.services.servers.statusHistory(org.id, params.serverId, query),
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/servers/:serverId/commands',
    summary: "Send a command to the server's agent; waits up to wait_ms for the answer, else it stays queued until the agent is back",
    tag: 'servers',
    access: { kind: 'org', permission: 'servers.write', org: lookup },
    params: ServerParams,
    body: ServerCommandBodySchema,
    response: ServerCommandSchema,
    status: 201,
    handler: ({ org, auth, meta, params, body }, deps) => deps.services.servers.command(org.id, params.serverId, actorOf(auth, meta), body),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/servers/:serverId/commands/:commandId',
    summary: 'A command and its answer',
    tag: 'servers',
    access: { kind: 'org', permission: 'servers.read', org: lookup },
    params: z.object({ serverId: IdSchema, commandId: IdSchema }),
    response: ServerCommandSchema,
    handler: ({ org, params }, deps) => deps.services.servers.getCommand(org.id, params.serverId, params.commandId),
  }),
];
