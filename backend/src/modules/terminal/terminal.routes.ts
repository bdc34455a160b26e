import { z } from 'zod';
import { IdSchema, OpenTerminalBodySchema, OpenedTerminalSchema, TerminalSessionSchema, pageOf, queryInt4 } from '@syntra/shared';
import type { AppDeps } from '../../deps.js';
import { defineRoute } from '../../http/route.js';

const serverLookup = { lookup: (params: Record<string, string>, deps: AppDeps) => deps.services.servers.orgIdOf(params.serverId ?? '') };
const sessionLookup = { lookup: (params: Record<string, string>, deps: AppDeps) => deps.services.terminals.orgIdOfSession(params.sessionId ?? '') };

export const terminalRoutes = [
  defineRoute({
    method: 'post',
    path: '/api/v1/servers/:serverId/terminal',
    summary: 'Open a terminal session on a server (host shell or a service); connect to ws_path with the ticket to use it',
    tag: 'terminal',
    access: { kind: 'org', permission: 'terminal.open', org: serverLookup },
    params: z.object({ serverId: IdSchema }),
    body: OpenTerminalBodySchema,
    response: OpenedTerminalSchema,
    status: 201,
    handler: ({ org, auth, meta, params, body }, deps) =>
      deps.services.terminals.open(org.id, org.role, { userId: auth.user.id, ip: meta.ip, userAgent: meta.userAgent, credential: { kind: auth.kind, id: auth.credentialId } }, params.serverId, body),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/servers/:serverId/terminal-sessions',
    summary: "Terminal sessions on a server, newest first: who, target, start, end, bytes (the audit trail)",
    tag: 'terminal',
    access: { kind: 'org', permission: 'audit.read', org: serverLookup },
    params: z.object({ serverId: IdSchema }),
    query: z.object({ limit: queryInt4(1, 200).default(50) }),
    response: pageOf(TerminalSessionSchema),
    handler: ({ org, params, query }, deps) => deps.services.terminals.list(org.id, params.serverId, query.limit),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/terminal-sessions/:sessionId',
    summary: 'One terminal session record',
    tag: 'terminal',
    access: { kind: 'org', permission: 'terminal.open', org: sessionLookup },
    params: z.object({ sessionId: IdSchema }),
    response: TerminalSessionSchema,
    handler: ({ org, params }, deps) => deps.services.terminals.get(org.id, params.sessionId),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/terminal-sessions/:sessionId/recording',
    summary: 'The asciicast v2 recording of a session (its owner or admins), for replay',
    tag: 'terminal',
    access: { kind: 'org', permission: 'terminal.open', org: sessionLookup },
    params: z.object({ sessionId: IdSchema }),
    response: z.string().describe('asciicast v2 (application/x-asciicast)'),
    raw: true,
    handler: async ({ org, auth, params, ctx }, deps) => {
      ctx.body = await deps.services.terminals.recording(org.id, org.role, auth.user.id, params.sessionId);
      ctx.type = 'application/x-asciicast';
      ctx.status = 200;
    },
  }),
];
