import { contracts } from '@syntra/shared';
import { defineRoute } from '../../http/route.js';
import { actorOf } from '../projects/index.js';
import { byService } from '../services/index.js';

export const clientKeyRoutes = [
  defineRoute(contracts.getServicesByServiceIdKeys, {
    summary: "A service's client keys and their DSNs (public by design: viewers may read them)",
    tag: 'client-keys',
    access: { kind: 'org', permission: 'projects.read', org: byService },
    handler: ({ org, params }, deps) => deps.services.clientKeys.list(org.id, params.serviceId),
  }),
  defineRoute(contracts.postServicesByServiceIdKeys, {
    summary: 'Add a client key (a new DSN) to a service',
    tag: 'client-keys',
    access: { kind: 'org', permission: 'services.write', org: byService },
    status: 201,
    handler: ({ org, auth, meta, params }, deps) => deps.services.clientKeys.create(org.id, params.serviceId, actorOf(auth, meta)),
  }),
  defineRoute(contracts.deleteServicesByServiceIdKeysByKeyId, {
    summary: 'Revoke a client key: the intake refuses it (403) within seconds; it stays listed with revoked_at',
    tag: 'client-keys',
    access: { kind: 'org', permission: 'services.write', org: byService },
    handler: ({ org, auth, meta, params }, deps) => deps.services.clientKeys.revoke(org.id, params.serviceId, params.keyId, actorOf(auth, meta)),
  }),
  defineRoute(contracts.getServicesByServiceIdIntake, {
    summary: "A service's intake: its project ref, the browser origins allowed to post, accepted and dropped counts",
    tag: 'client-keys',
    access: { kind: 'org', permission: 'projects.read', org: byService },
    handler: async ({ org, params }, deps) => ({
      ...(await deps.services.clientKeys.intake(org.id, params.serviceId)),
      stats: await deps.services.intakeCounters.read(params.serviceId),
    }),
  }),
  defineRoute(contracts.patchServicesByServiceIdIntake, {
    summary: 'Set the browser origins allowed to post events (null: any origin)',
    tag: 'client-keys',
    access: { kind: 'org', permission: 'services.write', org: byService },
    handler: async ({ org, auth, meta, params, body }, deps) => ({
      ...(await deps.services.clientKeys.setAllowedOrigins(org.id, params.serviceId, body.allowed_origins, actorOf(auth, meta))),
      stats: await deps.services.intakeCounters.read(params.serviceId),
    }),
  }),
];
