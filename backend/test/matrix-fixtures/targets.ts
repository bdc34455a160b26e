import type { MatrixCtx } from './types.js';

// What many modules' fixtures stand on: unique names, and a service on a server of the owner's org.

let seq = 0;
export const unique = (tag: string) => `${tag}-${Date.now().toString(36)}-${(seq += 1)}`;

/** A project with a service on an online server of the owner's org (agent presence = servers.status). */
export async function deployTarget(ctx: MatrixCtx) {
  const serverId = await onlineServer(ctx);
  const project = await ctx.api.post('/api/v1/projects', { name: unique('P'), git_repo_url: 'https://github.com/acme/app.git' }, { token: ctx.owner.token, orgId: ctx.owner.orgId });
  const service = await ctx.api.post(`/api/v1/projects/${project.body.data.id}/services`, { name: 'web', server_id: serverId }, { token: ctx.owner.token });
  return { serverId, projectId: project.body.data.id as string, serviceId: service.body.data.id as string };
}

/** A server registered through the API in the owner's org (no agent connected). */
export async function registeredServer(ctx: MatrixCtx): Promise<string> {
  const res = await ctx.api.post('/api/v1/servers', { name: unique('srv') }, { token: ctx.owner.token, orgId: ctx.owner.orgId });
  return res.body.data.server.id as string;
}

/** An online server of the owner's org (agent presence = servers.status). */
export async function onlineServer(ctx: MatrixCtx): Promise<string> {
  const [server] = await ctx.env.db('servers').insert({ org_id: ctx.owner.orgId, name: unique('srv'), agent_token_hash: unique('hash').padEnd(64, '0').slice(0, 64), status: 'online' }).returning('id');
  return server!.id;
}

