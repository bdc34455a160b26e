import { z } from 'zod';
import { GitBranchSchema, GitUrlSchema } from '../git/index.js';
import { IdSchema, SlugSchema, TimestampSchema } from './common.js';
import { text, trimmedText } from './strings.js';

/** An SSH private key (OpenSSH or PEM) the worker clones with; write-only. */
export const DeployKeySchema = text(20_000)
  .regex(/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]+-----END [A-Z ]*PRIVATE KEY-----/, 'an SSH private key (-----BEGIN … PRIVATE KEY-----)');

export const ProjectSchema = z.object({
  id: IdSchema,
  org_id: IdSchema,
  name: z.string(),
  slug: z.string(),
  description: z.string().nullable(),
  git_repo_url: z.string().nullable(),
  git_branch: z.string(),
  /** Whether an SSH deploy key is stored (the key itself is never returned). */
  has_deploy_key: z.boolean(),
  created_at: TimestampSchema,
  updated_at: TimestampSchema,
});
export type Project = z.infer<typeof ProjectSchema>;

export const CreateProjectBodySchema = z.object({
  name: trimmedText(100).min(1),
  slug: SlugSchema.optional(),
  description: text(2000).optional(),
  git_repo_url: GitUrlSchema.optional(),
  git_branch: GitBranchSchema.optional(),
  git_deploy_key: DeployKeySchema.optional(),
});
export const UpdateProjectBodySchema = z
  .object({
    name: trimmedText(100).min(1),
    slug: SlugSchema,
    description: text(2000).nullable(),
    git_repo_url: GitUrlSchema.nullable(),
    git_branch: GitBranchSchema,
    git_deploy_key: DeployKeySchema.nullable(),
  })
  .partial()
  .refine((b) => Object.keys(b).length > 0, 'nothing to update');

/** A project's GitHub webhook: where to point it and its secret (shown once; a new call rotates it). */
export const ProjectWebhookSchema = z.object({
  url: z.string(),
  secret: z.string().describe('shown once'),
  content_type: z.literal('application/json'),
  events: z.array(z.literal('push')),
});
export type ProjectWebhook = z.infer<typeof ProjectWebhookSchema>;
