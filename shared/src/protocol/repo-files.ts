import { z } from 'zod';

/**
 * `repo.files`: a command (control → agent, answered in `command_response.data`) that reads a
 * service's git mirror on its server, for the AI features (the control plane keeps no checkout
 * since builds moved to agents). Read-only: `ls-tree`, `show`, `diff` on the bare mirror the
 * builder keeps. Every size is bounded on both ends; the control plane validates the answer.
 */
export const REPO_FILES_COMMAND = 'repo.files';

export const REPO_LIMITS = {
  treeEntries: 3000,
  files: 40,
  fileBytes: 64 * 1024,
  totalFileBytes: 384 * 1024,
  diffBytes: 160 * 1024,
} as const;

/** A path inside the repository: relative, no `..` segment, no NUL. */
export const RepoPathSchema = z
  .string()
  .min(1)
  .max(500)
  .refine((p) => !p.startsWith('/') && !p.split('/').includes('..') && !p.includes('\u0000') && !p.startsWith('-'), 'a relative path inside the repository');

const RepoRevSchema = z.string().regex(/^[\w./-]{1,200}$/, 'a branch, tag or commit sha').refine((r) => !r.startsWith('-') && !r.includes('..'), 'a single revision');

export const RepoFilesArgsSchema = z.object({
  service_id: z.uuid(),
  /** Default: the mirror's HEAD (the default branch). */
  ref: RepoRevSchema.optional(),
  tree: z.boolean().default(true),
  paths: z.array(RepoPathSchema).max(REPO_LIMITS.files).default([]),
  /** `git diff from to -- diff_paths` (empty paths: the whole diff, bounded). */
  diff: z.object({ from: RepoRevSchema, to: RepoRevSchema, paths: z.array(RepoPathSchema).max(REPO_LIMITS.files).default([]) }).optional(),
});
export type RepoFilesArgs = z.infer<typeof RepoFilesArgsSchema>;

export const RepoFilesResultSchema = z.object({
  sha: z.string().regex(/^[0-9a-f]{40,64}$/),
  tree: z.array(z.string().max(1000)).max(REPO_LIMITS.treeEntries),
  tree_truncated: z.boolean(),
  files: z
    .array(z.object({ path: z.string().max(1000), content: z.string().max(REPO_LIMITS.fileBytes), truncated: z.boolean() }))
    .max(REPO_LIMITS.files),
  diff: z.string().max(REPO_LIMITS.diffBytes).nullable(),
  diff_truncated: z.boolean(),
});
export type RepoFilesResult = z.infer<typeof RepoFilesResultSchema>;
