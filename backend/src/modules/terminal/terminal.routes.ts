import { contracts } from '@syntra/shared';
import type { AppDeps } from '../../deps.js';
import { defineRoute } from '../../http/route.js';

const serverLookup = { lookup: (params: Record<string, string>, deps: AppDeps) => deps.services.servers.orgIdOf(params.serverId ?? '') };
const sessionLookup = { lookup: (params: Record<string, string>, deps: AppDeps) => deps.services.terminals.orgIdOfSession(params.sessionId ?? '') };

export const terminalRoutes = [
  defineRoute(contracts.postServersByServerIdTerminal, {
    summary: 'Open a terminal session on a server (host shell or a service); connect to ws_path with the ticket to use it',
    tag: 'terminal',
    access: { kind: 'org', permission: 'terminal.open', org: serverLookup },
    status: 201,
    handler: ({ org, auth, meta, params, body }, deps) =>
      deps.services.terminals.open(org.id, org.role, { userId: auth.user.id, ip: meta.ip, userAgent: meta.userAgent, credential: { kind: auth.kind, id: auth.credentialId } }, params.serverId, body),
  }),
  defineRoute(contracts.getServersByServerIdTerminalSessions, {
    summary: "Terminal sessions on a server, newest first: who, target, start, end, bytes (the audit trail)",
    tag: 'terminal',
    access: { kind: 'org', permission: 'audit.read', org: serverLookup },
    handler: ({ org, params, query }, deps) => deps.services.terminals.list(org.id, params.serverId, query.limit),
  }),
  defineRoute(contracts.getTerminalSessionsBySessionId, {
    summary: 'One terminal session record',
    tag: 'terminal',
    access: { kind: 'org', permission: 'terminal.open', org: sessionLookup },
    handler: ({ org, params }, deps) => deps.services.terminals.get(org.id, params.sessionId),
  }),
  defineRoute(contracts.getTerminalSessionsBySessionIdRecording, {
    summary: 'The asciicast v2 recording of a session (its owner or admins), for replay',
    tag: 'terminal',
    access: { kind: 'org', permission: 'terminal.open', org: sessionLookup },
    raw: true,
    handler: async ({ org, auth, params, ctx }, deps) => {
      ctx.body = await deps.services.terminals.recording(org.id, org.role, auth.user.id, params.sessionId);
      ctx.type = 'application/x-asciicast';
      ctx.status = 200;
    },
  }),
];
