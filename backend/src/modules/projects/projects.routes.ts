import { contracts } from '@syntra/shared';
import type { AppDeps } from '../../deps.js';
import { defineRoute, type RequestMeta } from '../../http/route.js';
import type { Principal } from '../auth/index.js';

const byProject = { lookup: (p: Record<string, string>, deps: AppDeps) => deps.services.projects.orgIdOf(p.projectId!) };

export function actorOf(auth: Principal, meta: RequestMeta) {
  return { userId: auth.user.id, ip: meta.ip, userAgent: meta.userAgent };
}

export const projectRoutes = [
  defineRoute(contracts.getProjects, {
    summary: "The organisation's projects",
    tag: 'projects',
    access: { kind: 'org', permission: 'projects.read', org: 'header' },
    handler: ({ org }, deps) => deps.services.projects.list(org.id),
  }),
  defineRoute(contracts.postProjects, {
    summary: 'Create a project (optionally linked to a git repository and branch)',
    tag: 'projects',
    access: { kind: 'org', permission: 'projects.write', org: 'header' },
    status: 201,
    handler: ({ org, auth, meta, body }, deps) => deps.services.projects.create(org.id, actorOf(auth, meta), body),
  }),
  defineRoute(contracts.getProjectsByProjectId, {
    summary: 'One project',
    tag: 'projects',
    access: { kind: 'org', permission: 'projects.read', org: byProject },
    handler: ({ org, params }, deps) => deps.services.projects.get(org.id, params.projectId),
  }),
  defineRoute(contracts.patchProjectsByProjectId, {
    summary: 'Rename a project, change its slug, repository or branch',
    tag: 'projects',
    access: { kind: 'org', permission: 'projects.write', org: byProject },
    handler: ({ org, auth, meta, params, body }, deps) => deps.services.projects.update(org.id, params.projectId, actorOf(auth, meta), body),
  }),
  defineRoute(contracts.deleteProjectsByProjectId, {
    summary: 'Delete a project and its services',
    tag: 'projects',
    access: { kind: 'org', permission: 'projects.write', org: byProject },
    handler: async ({ org, auth, meta, params }, deps) => {
      const services = await deps.services.services.list(org.id, params.projectId);
      await deps.services.projects.remove(org.id, params.projectId, actorOf(auth, meta));
      // Their instances stop on the servers (best effort: an offline agent keeps them until it is told).
      for (const s of services) await deps.services.deployments.stopOnAgent(s.server_id, s.id).catch(() => undefined);
      return { ok: true as const };
    },
  }),
  defineRoute(contracts.postProjectsByProjectIdWebhook, {
    summary: "Set up (or rotate) the project's GitHub webhook: its URL and a new secret, shown once",
    tag: 'projects',
    access: { kind: 'org', permission: 'projects.write', org: byProject },
    handler: async ({ org, auth, meta, params }, deps) => ({
      url: `${deps.config.publicUrl}/api/v1/webhooks/github/${params.projectId}`,
      secret: await deps.services.projects.rotateWebhookSecret(org.id, params.projectId, actorOf(auth, meta)),
      content_type: 'application/json' as const,
      events: ['push' as const],
    }),
  }),
];
