import { z } from 'zod';
import {
  CreateServiceBodySchema,
  EnvVarsSchema,
  IdSchema,
  OkSchema,
  PatchEnvBodySchema,
  PutEnvBodySchema,
  ServiceOnServerSchema,
  ServiceSchema,
  UpdateServiceBodySchema,
} from '@syntra/shared';
import type { AppDeps } from '../../deps.js';
import { defineRoute } from '../../http/route.js';
import { actorOf } from '../projects/index.js';

const ProjectParams = z.object({ projectId: IdSchema });
const ServiceParams = z.object({ serviceId: IdSchema });
export const byService = { lookup: (p: Record<string, string>, deps: AppDeps) => deps.services.services.orgIdOf(p.serviceId!) };
const ServerParams = z.object({ serverId: IdSchema });
const byServer = { lookup: (p: Record<string, string>, deps: AppDeps) => deps.services.servers.orgIdOf(p.serverId!) };
const byProject = { lookup: (p: Record<string, string>, deps: AppDeps) => deps.services.projects.orgIdOf(p.projectId!) };

export const serviceRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/v1/servers/:serverId/services',
    summary: 'The services placed on a server, with their project names',
    tag: 'services',
    access: { kind: 'org', permission: 'projects.read', org: byServer },
    params: ServerParams,
    response: z.array(ServiceOnServerSchema),
    handler: ({ params }, deps) => deps.services.services.listOnServer(params.serverId),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/projects/:projectId/services',
    summary: "A project's services",
    tag: 'services',
    access: { kind: 'org', permission: 'projects.read', org: byProject },
    params: ProjectParams,
    response: z.array(ServiceSchema),
    handler: ({ org, params }, deps) => deps.services.services.list(org.id, params.projectId),
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/projects/:projectId/services',
    summary: 'Create a service on one of the organisation’s servers',
    tag: 'services',
    access: { kind: 'org', permission: 'services.write', org: byProject },
    params: ProjectParams,
    body: CreateServiceBodySchema,
    response: ServiceSchema,
    status: 201,
    handler: ({ org, auth, meta, params, body }, deps) => deps.services.services.create(org.id, params.projectId, actorOf(auth, meta), body),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/services/:serviceId',
    summary: 'One service',
    tag: 'services',
    access: { kind: 'org', permission: 'projects.read', org: byService },
    params: ServiceParams,
    response: ServiceSchema,
    handler: ({ org, params }, deps) => deps.services.services.get(org.id, params.serviceId),
  }),
  defineRoute({
    method: 'patch',
    path: '/api/v1/services/:serviceId',
    summary: 'Change a service: source, domains, port, replicas, limits, health check, auto-deploy',
    tag: 'services',
    access: { kind: 'org', permission: 'services.write', org: byService },
    params: ServiceParams,
    body: UpdateServiceBodySchema,
    response: ServiceSchema,
    handler: ({ org, auth, meta, params, body }, deps) => deps.services.services.update(org.id, params.serviceId, actorOf(auth, meta), body),
  }),
  defineRoute({
    method: 'delete',
    path: '/api/v1/services/:serviceId',
    summary: 'Delete a service (its instances are stopped on the server)',
    tag: 'services',
    access: { kind: 'org', permission: 'services.write', org: byService },
    params: ServiceParams,
    response: OkSchema,
    handler: async ({ org, auth, meta, params }, deps) => {
      const removed = await deps.services.services.remove(org.id, params.serviceId, actorOf(auth, meta));
      await deps.services.deployments.stopOnAgent(removed.server_id, removed.id).catch(() => undefined);
      return { ok: true as const };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/services/:serviceId/env',
    summary: 'Environment variables (values masked unless the role and the token scope allow env.reveal)',
    tag: 'services',
    access: { kind: 'org', permission: 'projects.read', org: byService },
    params: ServiceParams,
    response: EnvVarsSchema,
    handler: async ({ org, params }, deps) => {
      await deps.services.services.context(org.id, params.serviceId);
      return deps.services.env.view(params.serviceId, org.permissions);
    },
  }),
  defineRoute({
    method: 'put',
    path: '/api/v1/services/:serviceId/env',
    summary: 'Replace all environment variables (applied on the next deploy)',
    tag: 'services',
    access: { kind: 'org', permission: 'env.write', org: byService },
    params: ServiceParams,
    body: PutEnvBodySchema,
    response: EnvVarsSchema,
    handler: async ({ org, auth, meta, params, body }, deps) => {
      await deps.services.services.context(org.id, params.serviceId);
      return deps.services.env.replace(org.id, params.serviceId, actorOf(auth, meta), org.permissions, body.vars);
    },
  }),
  defineRoute({
    method: 'patch',
    path: '/api/v1/services/:serviceId/env',
    summary: 'Set and unset some environment variables (applied on the next deploy)',
    tag: 'services',
    access: { kind: 'org', permission: 'env.write', org: byService },
    params: ServiceParams,
    body: PatchEnvBodySchema,
    response: EnvVarsSchema,
    handler: async ({ org, auth, meta, params, body }, deps) => {
      await deps.services.services.context(org.id, params.serviceId);
      return deps.services.env.patch(org.id, params.serviceId, actorOf(auth, meta), org.permissions, body.set, body.unset);
    },
  }),
];
