import { contracts } from '@syntra/shared';
import type { AppDeps } from '../../deps.js';
import { defineRoute } from '../../http/route.js';
import { actorOf } from '../projects/index.js';

const byIssue = { lookup: (p: Record<string, string>, deps: AppDeps) => deps.services.issues.orgIdOf(p.issueId!) };
const byProject = { lookup: (p: Record<string, string>, deps: AppDeps) => deps.services.projects.orgIdOf(p.projectId!) };
const byDeployment = { lookup: (p: Record<string, string>, deps: AppDeps) => deps.services.deployments.orgIdOf(p.deploymentId!) };

export const issueRoutes = [
  defineRoute(contracts.getProjectsByProjectIdIssues, {
    summary: "A project's issues (filter by status, service, environment, release, level, text; sort by last/first seen, events, users)",
    tag: 'issues',
    access: { kind: 'org', permission: 'issues.read', org: byProject },
    handler: ({ org, params, query }, deps) => deps.services.issues.listForProject(org.id, params.projectId, query),
  }),
  defineRoute(contracts.getIssues, {
    summary: "The organisation's issues, with the same filters and sorts as a project's (and project_id)",
    tag: 'issues',
    access: { kind: 'org', permission: 'issues.read', org: 'header' },
    handler: ({ org, query }, deps) => deps.services.issues.listForOrg(org.id, query),
  }),
  defineRoute(contracts.patchIssues, {
    summary: 'Set the status of several issues of the organisation at once (all or none)',
    tag: 'issues',
    access: { kind: 'org', permission: 'issues.write', org: 'header' },
    handler: ({ org, auth, meta, body }, deps) => deps.services.issues.bulk(org.id, actorOf(auth, meta), body),
  }),
  defineRoute(contracts.getIssuesByIssueId, {
    summary: 'An issue with its sparklines, the deploy that introduced it and its newest event id',
    tag: 'issues',
    access: { kind: 'org', permission: 'issues.read', org: byIssue },
    handler: ({ org, params }, deps) => deps.services.issues.get(org.id, params.issueId),
  }),
  defineRoute(contracts.patchIssuesByIssueId, {
    summary: 'Resolve (now or in the next release), ignore (optionally until a time or N more events), reopen or assign an issue',
    tag: 'issues',
    access: { kind: 'org', permission: 'issues.write', org: byIssue },
    handler: ({ org, auth, meta, params, body }, deps) => deps.services.issues.patch(org.id, params.issueId, actorOf(auth, meta), body),
  }),
  defineRoute(contracts.getIssuesByIssueIdEvents, {
    summary: "An issue's events, newest first",
    tag: 'issues',
    access: { kind: 'org', permission: 'issues.read', org: byIssue },
    handler: ({ org, params, query }, deps) => deps.services.issues.events(org.id, params.issueId, query),
  }),
  defineRoute(contracts.getIssuesByIssueIdEventsByEventId, {
    summary: 'One event in full (`latest` or `oldest` allowed): exception chain with frames, breadcrumbs, tags, contexts, request, user',
    tag: 'issues',
    access: { kind: 'org', permission: 'issues.read', org: byIssue },
    handler: ({ org, params }, deps) => deps.services.issues.event(org.id, params.issueId, params.eventId),
  }),
  defineRoute(contracts.getDeploymentsByDeploymentIdIssues, {
    summary: 'The issues that first appeared while this deployment was running, newest first',
    tag: 'issues',
    access: { kind: 'org', permission: 'issues.read', org: byDeployment },
    handler: ({ org, params, query }, deps) => deps.services.issues.forDeployment(org.id, params.deploymentId, query),
  }),
  defineRoute(contracts.getOrgsByOrgIdErrorRetention, {
    summary: 'How long the organisation keeps error events (default 30 days)',
    tag: 'issues',
    access: { kind: 'org', permission: 'issues.read', org: { param: 'orgId' } },
    handler: ({ org }, deps) => deps.services.errorRetention.get(org.id),
  }),
  defineRoute(contracts.putOrgsByOrgIdErrorRetention, {
    summary: 'Set how long the organisation keeps error events (1–365 days); the retention worker prunes older ones',
    tag: 'issues',
    access: { kind: 'org', permission: 'org.update', org: { param: 'orgId' } },
    handler: ({ org, auth, meta, body }, deps) => deps.services.errorRetention.set(org.id, actorOf(auth, meta), body.retention_days),
  }),
];
