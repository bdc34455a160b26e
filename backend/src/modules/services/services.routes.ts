import { contracts } from '@syntra/shared';
import type { AppDeps } from '../../deps.js';
import { defineRoute } from '../../http/route.js';
import { actorOf } from '../projects/index.js';

export const byService = { lookup: (p: Record<string, string>, deps: AppDeps) => deps.services.services.orgIdOf(p.serviceId!) };
const byServer = { lookup: (p: Record<string, string>, deps: AppDeps) => deps.services.servers.orgIdOf(p.serverId!) };
const byProject = { lookup: (p: Record<string, string>, deps: AppDeps) => deps.services.projects.orgIdOf(p.projectId!) };

export const serviceRoutes = [
  defineRoute(contracts.getServersByServerIdServices, {
    summary: 'The services placed on a server, with their project names',
    tag: 'services',
    access: { kind: 'org', permission: 'projects.read', org: byServer },
    handler: ({ params }, deps) => deps.services.services.listOnServer(params.serverId),
  }),
  defineRoute(contracts.getProjectsByProjectIdServices, {
    summary: "A project's services",
    tag: 'services',
    access: { kind: 'org', permission: 'projects.read', org: byProject },
    handler: ({ org, params }, deps) => deps.services.services.list(org.id, params.projectId),
  }),
  defineRoute(contracts.postProjectsByProjectIdServices, {
    summary: 'Create a service on one of the organisation’s servers',
    tag: 'services',
    access: { kind: 'org', permission: 'services.write', org: byProject },
    status: 201,
    handler: ({ org, auth, meta, params, body }, deps) => deps.services.services.create(org.id, params.projectId, actorOf(auth, meta), body),
  }),
  defineRoute(contracts.getServicesByServiceId, {
    summary: 'One service',
    tag: 'services',
    access: { kind: 'org', permission: 'projects.read', org: byService },
    handler: ({ org, params }, deps) => deps.services.services.get(org.id, params.serviceId),
  }),
  defineRoute(contracts.patchServicesByServiceId, {
    summary: 'Change a service: source, domains, port, replicas, limits, health check, auto-deploy',
    tag: 'services',
    access: { kind: 'org', permission: 'services.write', org: byService },
    handler: ({ org, auth, meta, params, body }, deps) => deps.services.services.update(org.id, params.serviceId, actorOf(auth, meta), body),
  }),
  defineRoute(contracts.deleteServicesByServiceId, {
    summary: 'Delete a service (its instances are stopped on the server)',
    tag: 'services',
    access: { kind: 'org', permission: 'services.write', org: byService },
    handler: async ({ org, auth, meta, params }, deps) => {
      const removed = await deps.services.services.remove(org.id, params.serviceId, actorOf(auth, meta));
      await deps.services.deployments.stopOnAgent(removed.server_id, removed.id).catch(() => undefined);
      return { ok: true as const };
    },
  }),
  defineRoute(contracts.getServicesByServiceIdEnv, {
    summary: 'Environment variables (values masked unless the role and the token scope allow env.reveal)',
    tag: 'services',
    access: { kind: 'org', permission: 'projects.read', org: byService },
    handler: async ({ org, params }, deps) => {
      await deps.services.services.context(org.id, params.serviceId);
      return deps.services.env.view(params.serviceId, org.permissions);
    },
  }),
  defineRoute(contracts.putServicesByServiceIdEnv, {
    summary: 'Replace all environment variables (applied on the next deploy)',
    tag: 'services',
    access: { kind: 'org', permission: 'env.write', org: byService },
    handler: async ({ org, auth, meta, params, body }, deps) => {
      await deps.services.services.context(org.id, params.serviceId);
      return deps.services.env.replace(org.id, params.serviceId, actorOf(auth, meta), org.permissions, body.vars);
    },
  }),
  defineRoute(contracts.patchServicesByServiceIdEnv, {
    summary: 'Set and unset some environment variables (applied on the next deploy)',
    tag: 'services',
    access: { kind: 'org', permission: 'env.write', org: byService },
    handler: async ({ org, auth, meta, params, body }, deps) => {
      await deps.services.services.context(org.id, params.serviceId);
      return deps.services.env.patch(org.id, params.serviceId, actorOf(auth, meta), org.permissions, body.set, body.unset);
    },
  }),
];
