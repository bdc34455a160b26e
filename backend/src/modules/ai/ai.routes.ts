import { contracts } from '@syntra/shared';
import type { AppDeps } from '../../deps.js';
import { defineRoute, type OrgAccess, type RequestMeta } from '../../http/route.js';
import type { Principal } from '../auth/index.js';
import { actorOf } from '../projects/index.js';
import { byService } from '../services/index.js';
import { openEventStream } from './sse.js';

const byConversation = { lookup: (p: Record<string, string>, deps: AppDeps) => deps.services.ai.copilot.orgIdOf(p.conversationId!) };
const byProposal = { lookup: (p: Record<string, string>, deps: AppDeps) => deps.services.ai.proposals.orgIdOf(p.proposalId!) };

const asker = (org: OrgAccess, auth: Principal) => ({ orgId: org.id, userId: auth.user.id, permissions: org.permissions });
const approver = (org: OrgAccess, auth: Principal, meta: RequestMeta) => ({ ...asker(org, auth), actor: actorOf(auth, meta) });

export const aiRoutes = [
  defineRoute(contracts.postAiChat, {
    summary: 'Ask the co-pilot; the answer streams as server-sent events (text, tool calls, proposals). 409 AI_DISABLED without ANTHROPIC_API_KEY, 429 PLAN_LIMIT over the monthly budget',
    tag: 'ai',
    access: { kind: 'org', permission: 'ai.use', org: 'header' },
    raw: true,
    handler: async ({ org, auth, body, ctx }, deps) => {
      const orgDto = await deps.services.orgs.get(org.id, org.role);
      const chat = await deps.services.ai.copilot.start({ ...asker(org, auth), role: org.role, orgName: orgDto.name }, body);
      const stream = openEventStream(ctx);
      // The answer streams after the handler returns; its failures are `error` events, not a status.
      void chat.run(stream.send).finally(() => stream.end());
    },
  }),
  defineRoute(contracts.getAiConversations, {
    summary: "Your co-pilot conversations in this organisation, most recent first",
    tag: 'ai',
    access: { kind: 'org', permission: 'ai.use', org: 'header' },
    handler: ({ org, auth }, deps) => deps.services.ai.copilot.list(asker(org, auth)),
  }),
  defineRoute(contracts.getAiConversationsByConversationId, {
    summary: 'One of your conversations with its messages (tool calls and their output included) and proposals',
    tag: 'ai',
    access: { kind: 'org', permission: 'ai.use', org: byConversation },
    handler: ({ org, auth, params }, deps) => deps.services.ai.copilot.get(params.conversationId, asker(org, auth)),
  }),
  defineRoute(contracts.postAiProposalsByProposalIdApprove, {
    summary: "Approve an action the co-pilot proposed: it runs as you, through the same checks as the console's button, audited with the conversation",
    tag: 'ai',
    access: { kind: 'org', permission: 'ai.use', org: byProposal },
    handler: ({ org, auth, meta, params }, deps) => {
      deps.services.ai.model.sdk();
      return deps.services.ai.proposals.approve(params.proposalId, approver(org, auth, meta));
    },
  }),
  defineRoute(contracts.postAiProposalsByProposalIdReject, {
    summary: 'Reject an action the co-pilot proposed',
    tag: 'ai',
    access: { kind: 'org', permission: 'ai.use', org: byProposal },
    handler: ({ org, auth, meta, params }, deps) => {
      deps.services.ai.model.sdk();
      return deps.services.ai.proposals.reject(params.proposalId, approver(org, auth, meta));
    },
  }),
  defineRoute(contracts.postAiGenerateDockerfile, {
    summary: "A Dockerfile, .dockerignore and explanation for a service, from its repository's tree and manifests (read from the git mirror on its server). 503 AGENT_OFFLINE when the server is not connected",
    tag: 'ai',
    // Reads the repository through the server's agent: a builder's capability, like editing the service.
    access: { kind: 'org', permission: 'services.write', org: 'header' },
    handler: ({ org, auth, meta, body }, deps) => deps.services.ai.dockerfiles.generate(org.id, auth.user.id, actorOf(auth, meta), body.service_id),
  }),
  defineRoute(contracts.postAiAnalyzeError, {
    summary: "Analyse an issue with the model, as a job: 202 with the pending analysis (GET /issues/:issueId shows it when done); the stored one unless force_refresh",
    tag: 'ai',
    access: { kind: 'org', permission: 'ai.use', org: 'header' },
    status: 202,
    handler: ({ org, auth, body }, deps) => deps.services.ai.analysis.request(org.id, auth.user.id, body.issue_id, { forceRefresh: body.force_refresh }),
  }),
  defineRoute(contracts.getAiSettings, {
    summary: "The organisation's AI settings: monthly token budget and this month's use, automatic analysis of new high-volume issues",
    tag: 'ai',
    access: { kind: 'org', permission: 'ai.use', org: 'header' },
    handler: ({ org }, deps) => deps.services.ai.settings.get(org.id),
  }),
  defineRoute(contracts.patchAiSettings, {
    summary: 'Change the monthly token budget (null: the installation default) or turn automatic analysis on or off',
    tag: 'ai',
    access: { kind: 'org', permission: 'org.update', org: 'header' },
    handler: ({ org, auth, meta, body }, deps) => deps.services.ai.settings.update(org.id, actorOf(auth, meta), body),
  }),
  defineRoute(contracts.getServicesByServiceIdBuildDetection, {
    summary: "What an auto build would detect in the service's repository (read from the git mirror on its server): the wizard offers a generated Dockerfile when nothing is detected; `unknown` before a first build has fetched it",
    tag: 'services',
    // Reads the repository through the server's agent, as generating a Dockerfile does.
    access: { kind: 'org', permission: 'services.write', org: byService },
    handler: ({ org, auth, meta, params }, deps) => deps.services.ai.buildDetection.detect(org.id, params.serviceId, actorOf(auth, meta)),
  }),
  defineRoute(contracts.getServicesByServiceIdDockerfile, {
    summary: "The service's saved Dockerfile (its builds use it instead of detection); 404 when none",
    tag: 'services',
    access: { kind: 'org', permission: 'projects.read', org: byService },
    handler: ({ org, params }, deps) => deps.services.ai.dockerfiles.get(org.id, params.serviceId),
  }),
  defineRoute(contracts.putServicesByServiceIdDockerfile, {
    summary: 'Save a Dockerfile (and .dockerignore) for the service: the next builds use it, whatever detection would find',
    tag: 'services',
    access: { kind: 'org', permission: 'services.write', org: byService },
    handler: ({ org, auth, meta, params, body }, deps) => deps.services.ai.dockerfiles.save(org.id, params.serviceId, actorOf(auth, meta), body),
  }),
  defineRoute(contracts.deleteServicesByServiceIdDockerfile, {
    summary: "Remove the service's saved Dockerfile: builds detect again (or use the repository's)",
    tag: 'services',
    access: { kind: 'org', permission: 'services.write', org: byService },
    handler: async ({ org, auth, meta, params }, deps) => {
      await deps.services.ai.dockerfiles.remove(org.id, params.serviceId, actorOf(auth, meta));
      return { ok: true as const };
    },
  }),
];
