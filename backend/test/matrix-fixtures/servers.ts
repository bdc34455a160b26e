import { onlineServer, registeredServer, unique } from './targets.js';
import type { MatrixCtx, ModuleFixtures } from './types.js';

/** An ended, recorded terminal session of the owner on one of the owner's servers. */
async function terminalSessionRow(ctx: MatrixCtx) {
  const id = crypto.randomUUID();
  await ctx.env.db('terminal_sessions').insert({
    id, org_id: ctx.owner.orgId, server_id: await onlineServer(ctx), server_name: 'srv', user_id: ctx.owner.userId, target: JSON.stringify({ kind: 'host' }),
    cols: 80, rows: 24, status: 'ended', ticket_hash: '0'.repeat(64), recorded: true, ended_at: new Date(),
  });
  const { default: fs } = await import('node:fs');
  const dir = `${ctx.env.config.dataDir}/terminal-recordings`;
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(`${dir}/${id}.cast`, '{"version":2,"width":80,"height":24}\n[0.1,"o","hi"]\n');
  return id;
}


// ---- servers (issue 3) and terminal (issue 6) ----
export const SERVER_FIXTURES: ModuleFixtures = {
  // ---- terminal (issue 6) ----
  'POST /api/v1/servers/:serverId/terminal': {
    request: async (ctx) => ({ path: `/api/v1/servers/${await onlineServer(ctx)}/terminal`, body: { cols: 80, rows: 24, target: { kind: 'host' } } }),
  },
  'GET /api/v1/servers/:serverId/terminal-sessions': { request: async (ctx) => ({ path: `/api/v1/servers/${await onlineServer(ctx)}/terminal-sessions` }) },
  'GET /api/v1/terminal-sessions/:sessionId': { request: async (ctx) => ({ path: `/api/v1/terminal-sessions/${await terminalSessionRow(ctx)}` }) },
  'GET /api/v1/terminal-sessions/:sessionId/recording': { request: async (ctx) => ({ path: `/api/v1/terminal-sessions/${await terminalSessionRow(ctx)}/recording` }) },
  // ---- servers (issue 3) ----
  'GET /api/v1/servers': { request: async (ctx) => ({ path: '/api/v1/servers', orgId: ctx.owner.orgId }) },
  'POST /api/v1/servers': { request: async (ctx) => ({ path: '/api/v1/servers', orgId: ctx.owner.orgId, body: { name: unique('srv'), tags: ['web'] } }) },
  'GET /api/v1/servers/:serverId': { request: async (ctx) => ({ path: `/api/v1/servers/${await registeredServer(ctx)}` }) },
  'PATCH /api/v1/servers/:serverId': { request: async (ctx) => ({ path: `/api/v1/servers/${await registeredServer(ctx)}`, body: { name: unique('renamed') } }) },
  'DELETE /api/v1/servers/:serverId': { request: async (ctx) => ({ path: `/api/v1/servers/${await registeredServer(ctx)}` }) },
  'POST /api/v1/servers/:serverId/rotate-token': { request: async (ctx) => ({ path: `/api/v1/servers/${await registeredServer(ctx)}/rotate-token` }) },
  'GET /api/v1/servers/:serverId/metrics': { request: async (ctx) => ({ path: `/api/v1/servers/${await registeredServer(ctx)}/metrics?step=60` }) },
  'GET /api/v1/servers/:serverId/status-history': { request: async (ctx) => ({ path: `/api/v1/servers/${await registeredServer(ctx)}/status-history` }) },
  // The server has no agent connected: the command is queued (wait_ms 0) and answered 201 pending.
  'POST /api/v1/servers/:serverId/commands': { request: async (ctx) => ({ path: `/api/v1/servers/${await registeredServer(ctx)}/commands`, body: { name: 'host.info', args: {}, wait_ms: 0 } }) },
  'GET /api/v1/servers/:serverId/commands/:commandId': {
    request: async (ctx) => {
      const id = await registeredServer(ctx);
      const cmd = await ctx.api.post(`/api/v1/servers/${id}/commands`, { name: 'host.info', wait_ms: 0 }, { token: ctx.owner.token });
      return { path: `/api/v1/servers/${id}/commands/${cmd.body.data.id}` };
    },
  },
};
