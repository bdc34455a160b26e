import { contracts } from '@syntra/shared';
import type { AppDeps } from '../../deps.js';
import { defineRoute } from '../../http/route.js';
import { actorOf } from '../projects/index.js';

const byDomain = { lookup: (p: Record<string, string>, deps: AppDeps) => deps.services.domains.orgIdOf(p.domainId!) };

export const domainRoutes = [
  defineRoute(contracts.getDomains, {
    summary: "The organisation's domain claims: status, the services using each, the TXT record that proves ownership",
    tag: 'domains',
    access: { kind: 'org', permission: 'projects.read', org: 'header' },
    handler: ({ org }, deps) => deps.services.domains.list(org.id),
  }),
  defineRoute(contracts.postDomains, {
    summary: 'Claim a domain ahead of using it; held by another organisation, the claim contends for it (verify to take it over from an unproved holder)',
    tag: 'domains',
    access: { kind: 'org', permission: 'services.write', org: 'header' },
    status: 201,
    handler: ({ org, auth, meta, body }, deps) => deps.services.domains.create(org.id, actorOf(auth, meta), body.hostname),
  }),
  defineRoute(contracts.postDomainsByDomainIdVerify, {
    summary: 'Look up the ownership TXT record now; answers the claim with its status (and last_error when not found)',
    tag: 'domains',
    access: { kind: 'org', permission: 'services.write', org: byDomain },
    handler: ({ org, auth, meta, params }, deps) => deps.services.domains.verify(org.id, params.domainId, actorOf(auth, meta)),
  }),
  defineRoute(contracts.deleteDomainsByDomainId, {
    summary: 'Release a domain claim (409 while a service of the organisation uses it)',
    tag: 'domains',
    access: { kind: 'org', permission: 'services.write', org: byDomain },
    handler: async ({ org, auth, meta, params }, deps) => {
      await deps.services.domains.release(org.id, params.domainId, actorOf(auth, meta));
      return { ok: true as const };
    },
  }),
];
