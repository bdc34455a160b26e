import { z } from 'zod';
import { IdSchema, pageOf } from '../common.js';
import {
  DeploymentIssuesQuerySchema, ErrorRetentionBodySchema, ErrorRetentionSchema, EventDetailSchema, EventIdParamSchema, EventsQuerySchema, EventSummarySchema,
  IssueBulkPatchSchema, IssueBulkResultSchema, IssueDetailSchema, IssueListItemSchema, IssuePatchSchema,
  IssuesQuerySchema, OrgIssuesQuerySchema,
} from '../issues.js';
import { contract } from './contract.js';

const ProjectParams = z.object({ projectId: IdSchema });
const IssueParams = z.object({ issueId: IdSchema });
const IssueEventParams = z.object({ issueId: IdSchema, eventId: EventIdParamSchema });
const DeploymentParams = z.object({ deploymentId: IdSchema });
const OrgParams = z.object({ orgId: IdSchema });

/** Error tracking (issue 12): issues, their events, and the issues a deployment introduced. */
export const issuesContracts = {
  getProjectsByProjectIdIssues: contract({
    method: 'get',
    path: '/api/v1/projects/:projectId/issues',
    params: ProjectParams,
    query: IssuesQuerySchema,
    response: pageOf(IssueListItemSchema),
  }),
  getIssues: contract({
    method: 'get',
    path: '/api/v1/issues',
    query: OrgIssuesQuerySchema,
    response: pageOf(IssueListItemSchema),
    orgHeader: true,
  }),
  patchIssues: contract({
    method: 'patch',
    path: '/api/v1/issues',
    body: IssueBulkPatchSchema,
    response: IssueBulkResultSchema,
    orgHeader: true,
  }),
  getIssuesByIssueId: contract({
    method: 'get',
    path: '/api/v1/issues/:issueId',
    params: IssueParams,
    response: IssueDetailSchema,
  }),
  patchIssuesByIssueId: contract({
    method: 'patch',
    path: '/api/v1/issues/:issueId',
    params: IssueParams,
    body: IssuePatchSchema,
    response: IssueDetailSchema,
  }),
  getIssuesByIssueIdEvents: contract({
    method: 'get',
    path: '/api/v1/issues/:issueId/events',
    params: IssueParams,
    query: EventsQuerySchema,
    response: pageOf(EventSummarySchema),
  }),
  getIssuesByIssueIdEventsByEventId: contract({
    method: 'get',
    path: '/api/v1/issues/:issueId/events/:eventId',
    params: IssueEventParams,
    response: EventDetailSchema,
  }),
  getDeploymentsByDeploymentIdIssues: contract({
    method: 'get',
    path: '/api/v1/deployments/:deploymentId/issues',
    params: DeploymentParams,
    query: DeploymentIssuesQuerySchema,
    response: pageOf(IssueListItemSchema),
  }),
  getOrgsByOrgIdErrorRetention: contract({
    method: 'get',
    path: '/api/v1/orgs/:orgId/error-retention',
    params: OrgParams,
    response: ErrorRetentionSchema,
  }),
  putOrgsByOrgIdErrorRetention: contract({
    method: 'put',
    path: '/api/v1/orgs/:orgId/error-retention',
    params: OrgParams,
    body: ErrorRetentionBodySchema,
    response: ErrorRetentionSchema,
  }),
};
