import { z } from 'zod';
import { IdSchema, SlugSchema, TimestampSchema } from './common.js';

/** A git URL the worker can clone: https, ssh (`git@host:path` or `ssh://`), git:// or file:// / an absolute path. */
export const GitUrlSchema = z
  .string()
  .trim()
  .min(1)
  .max(2000)
  .refine((v) => /^(https?:\/\/|ssh:\/\/|git:\/\/|file:\/\/|\/)/.test(v) || /^[\w.-]+@[\w.-]+:.+/.test(v), 'an https, ssh, git or file URL');

export const GitBranchSchema = z.string().trim().min(1).max(255).regex(/^[^\s~^:?*[\\]+$/, 'a git branch name');

export const ProjectSchema = z.object({
  id: IdSchema,
  org_id: IdSchema,
  name: z.string(),
  slug: z.string(),
  description: z.string().nullable(),
  git_repo_url: z.string().nullable(),
  git_branch: z.string(),
  created_at: TimestampSchema,
  updated_at: TimestampSchema,
});
export type Project = z.infer<typeof ProjectSchema>;

export const CreateProjectBodySchema = z.object({
  name: z.string().trim().min(1).max(100),
  slug: SlugSchema.optional(),
  description: z.string().max(2000).optional(),
  git_repo_url: GitUrlSchema.optional(),
  git_branch: GitBranchSchema.optional(),
});
export const UpdateProjectBodySchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    slug: SlugSchema,
    description: z.string().max(2000).nullable(),
    git_repo_url: GitUrlSchema.nullable(),
    git_branch: GitBranchSchema,
  })
  .partial()
  .refine((b) => Object.keys(b).length > 0, 'nothing to update');
