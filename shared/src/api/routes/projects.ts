// Generated once from the backend route files, now the source of truth: the backend routes and the
// console client both take their method, path and schemas from here.
import { z } from 'zod';
import { IdSchema, OkSchema } from '../common.js';
import { CreateProjectBodySchema, ProjectSchema, ProjectWebhookSchema, UpdateProjectBodySchema } from '../projects.js';
import { contract } from './contract.js';

export const ProjectParams = z.object({ projectId: IdSchema });

export const projectsContracts = {
  getProjects: contract({
    method: 'get',
    path: '/api/v1/projects',
    response: z.array(ProjectSchema),
    orgHeader: true,
  }),
  postProjects: contract({
    method: 'post',
    path: '/api/v1/projects',
    body: CreateProjectBodySchema,
    response: ProjectSchema,
    orgHeader: true,
  }),
  getProjectsByProjectId: contract({
    method: 'get',
    path: '/api/v1/projects/:projectId',
    params: ProjectParams,
    response: ProjectSchema,
  }),
  patchProjectsByProjectId: contract({
    method: 'patch',
    path: '/api/v1/projects/:projectId',
    params: ProjectParams,
    body: UpdateProjectBodySchema,
    response: ProjectSchema,
  }),
  deleteProjectsByProjectId: contract({
    method: 'delete',
    path: '/api/v1/projects/:projectId',
    params: ProjectParams,
    response: OkSchema,
  }),
  postProjectsByProjectIdWebhook: contract({
    method: 'post',
    path: '/api/v1/projects/:projectId/webhook',
    params: ProjectParams,
    response: ProjectWebhookSchema,
  }),
};
