// Generated once from the backend route files, now the source of truth: the backend routes and the
// console client both take their method, path and schemas from here.
import { z } from 'zod';
import { IdSchema } from '../common.js';
import { contract } from './contract.js';

export const WebhookResultSchema = z.object({
  event: z.string(),
  delivery_id: z.string(),
  duplicate: z.boolean(),
  deployments: z.array(z.object({ service_id: z.string(), deployment_id: z.string().nullable(), skipped: z.string().nullable() })),
});

export const githubContracts = {
  postWebhooksGithub: contract({
    method: 'post',
    path: '/api/v1/webhooks/github',
    response: WebhookResultSchema,
  }),
  postWebhooksGithubByProjectId: contract({
    method: 'post',
    path: '/api/v1/webhooks/github/:projectId',
    params: z.object({ projectId: IdSchema }),
    response: WebhookResultSchema,
  }),
};
