import { z } from 'zod';
import { ArtifactKindSchema, BuildLogStreamSchema, BuiltSourceTypeSchema, RuntimeKindSchema } from '../contract-values.js';
import { GitFetchPolicySchema } from '../git/fetch-policy.js';

/**
 * Builds run on the service's own server (its agent): the control plane sends `build`, the agent
 * streams `build_log`, uploads the artifact and answers `build_result`. See README.md beside this file.
 */

const Sha = z.string().regex(/^[0-9a-f]{40}([0-9a-f]{24})?$/, 'a full git commit sha');

/** At most this many commits travel in a build_result (newest first); the rest is reported as truncated. */
export const MAX_BUILD_COMMITS = 200;

export const BuildSchema = z.object({
  request_id: z.uuid(),
  deployment_id: z.uuid(),
  service_id: z.uuid(),
  git: z.object({
    url: z.string().min(1).max(2000),
    /** Branch, tag or commit to build. */
    ref: z.string().min(1).max(255),
    /** The project's deploy key, decrypted for this build only; only ever sent over the agent's socket. */
    ssh_private_key: z.string().max(16_384).optional(),
    policy: GitFetchPolicySchema,
  }),
  source_type: BuiltSourceTypeSchema,
  /** Directory inside the repository to build (relative). */
  build_context: z.string().max(500),
  dockerfile_path: z.string().max(500),
  start_command: z.string().max(2000).nullable(),
  /** The service's runtime: `docker` builds an image (its Dockerfile, or one generated for a detected app). */
  runtime: RuntimeKindSchema,
  /** Base images of generated Dockerfiles (the control plane's SYNTRA_BUILD_*_IMAGE). */
  base_images: z.object({ node: z.string().min(1).max(500), static: z.string().min(1).max(500) }),
  /** Sha of the service's current deployment: the commit list in the result starts after it. */
  base_sha: Sha.nullable(),
  /** Where the agent PUTs the artifact (agent-token authenticated). */
  upload_url: z.url().max(2000),
});
export type Build = z.infer<typeof BuildSchema>;

export const BuildCancelSchema = z.object({ request_id: z.uuid(), deployment_id: z.uuid() });
export type BuildCancel = z.infer<typeof BuildCancelSchema>;

export const BuildLogSchema = z.object({
  deployment_id: z.uuid(),
  lines: z
    .array(z.object({ ts: z.iso.datetime({ offset: true }), stream: BuildLogStreamSchema, line: z.string().max(65_536) }))
    .min(1)
    .max(5000),
});
export type BuildLog = z.infer<typeof BuildLogSchema>;

export const BuildCommitSchema = z.object({ sha: Sha, message: z.string().max(1000) });
export type BuildCommit = z.infer<typeof BuildCommitSchema>;

export const BuildResultSchema = z.object({
  /** The request_id of the `build` it answers (any re-sent copy of it). */
  request_id: z.uuid(),
  deployment_id: z.uuid(),
  ok: z.boolean(),
  /** Set when ok: what the upload returned. */
  artifact_id: z.uuid().nullable(),
  digest: z.string().max(200).nullable(),
  kind: ArtifactKindSchema.nullable(),
  /** The image reference (image artifacts). */
  image_ref: z.string().max(500).nullable(),
  start_command: z.string().max(2000).nullable(),
  sha: Sha.nullable(),
  commit_message: z.string().max(10_000).nullable(),
  /** Commits after base_sha up to sha, newest first, at most MAX_BUILD_COMMITS. */
  commits: z.array(BuildCommitSchema).max(MAX_BUILD_COMMITS),
  /** False when base_sha was not an ancestor, was unknown, or the list was cut at MAX_BUILD_COMMITS. */
  commits_complete: z.boolean(),
  duration_ms: z.number().int().min(0),
  error: z.string().max(10_000).nullable(),
});
export type BuildResult = z.infer<typeof BuildResultSchema>;
