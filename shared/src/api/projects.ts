import { z } from 'zod';
import { IdSchema, SlugSchema, TimestampSchema } from './common.js';
import { hasNoNul, NUL_MESSAGE, text, trimmedText } from './strings.js';

/** A git URL the worker can clone: https, ssh (`git@host:path` or `ssh://`), git:// or file:// / an absolute path. */
export const GitUrlSchema = z
  .string()
  .trim()
  .min(1)
  .max(2000)
  .refine(hasNoNul, NUL_MESSAGE)
  .refine((v) => /^(https?:\/\/|ssh:\/\/|git:\/\/|file:\/\/|\/)/.test(v) || /^[\w.-]+@[\w.-]+:.+/.test(v), 'an https, ssh, git or file URL');

export const GitBranchSchema = trimmedText(255).min(1).regex(/^[^\s~^:?*[\\]+$/, 'a git branch name');

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
