import fs from 'node:fs';
import type { Context } from 'koa';
import { z } from 'zod';
import { ArtifactKindSchema, contracts } from '@syntra/shared';
import type { AppDeps } from '../../deps.js';
import { bearerToken } from '../../http/build-router.js';
import { defineRoute } from '../../http/route.js';
import { parseOrThrow } from '../../http/validate.js';
import { NotFoundError, PayloadTooLargeError, UnauthorizedError } from '../../errors.js';

/** The server whose agent token the request carries (artifact routes are agent-authenticated, not user sessions). */
async function agentServer(ctx: Context, deps: AppDeps): Promise<{ id: string; org_id: string }> {
  const token = bearerToken(ctx);
  if (!token) throw new UnauthorizedError('Agent token required');
  const server = await deps.services.servers.byAgentToken(token);
  if (!server) throw new UnauthorizedError('Invalid agent token');
  return server;
}

const UploadHeadersSchema = z.object({
  'x-artifact-digest': z.string().regex(/^sha256:[0-9a-f]{64}$/, 'sha256:<64 hex characters>'),
  'x-artifact-kind': ArtifactKindSchema,
  'x-artifact-image-ref': z.string().min(1).max(500).regex(/^[\w.\-/:@]+$/, 'an image reference').optional(),
});

export const artifactRoutes = [
  defineRoute(contracts.getArtifactsByArtifactId, {
    summary: 'Download a build artifact (agents, with their own agent token); X-Artifact-Digest carries its sha256',
    tag: 'deployments',
    // Authenticated by the agent token, not a user session: checked in the handler.
    access: { kind: 'public' },
    raw: true,
    handler: async ({ params, ctx }, deps) => {
      const server = await agentServer(ctx, deps);
      const artifact = await deps.services.artifacts.find(params.artifactId);
      // Only an artifact of a deployment sent to this very server; for any other agent it does not exist.
      const sentHere = artifact && artifact.org_id === server.org_id ? await deps.services.deployments.wasSentTo(artifact.id, server.id) : false;
      if (!artifact || !sentHere) throw new NotFoundError('Artifact');
      const file = deps.services.artifacts.filePath(artifact);
      if (!file || !fs.existsSync(file)) throw new NotFoundError('Artifact file');
      ctx.set('X-Artifact-Digest', artifact.digest);
      ctx.type = artifact.kind === 'image' ? 'application/x-tar' : 'application/gzip';
      ctx.length = Number(artifact.size_bytes);
      ctx.body = fs.createReadStream(file);
    },
  }),
  defineRoute(contracts.putArtifactsUploadsByDeploymentId, {
    summary:
      'Upload the artifact a build produced (the agent the build was sent to, while the deployment is building); the body is the file, X-Artifact-Digest its sha256, X-Artifact-Kind tarball|image',
    tag: 'deployments',
    access: { kind: 'public' },
    status: 201,
    handler: async ({ params, ctx }, deps) => {
      const server = await agentServer(ctx, deps);
      const headers = parseOrThrow(UploadHeadersSchema, ctx.headers, 'headers');
      const max = deps.config.artifactMaxBytes;
      const declared = Number(ctx.get('content-length') || 0);
      if (declared > max) throw new PayloadTooLargeError(`Artifacts are limited to ${Math.round(max / 1048576)} MB (SYNTRA_ARTIFACT_MAX_MB)`);
      const a = await deps.services.deployments.receiveArtifact(server.id, params.deploymentId, ctx.req, {
        kind: headers['x-artifact-kind'],
        digest: headers['x-artifact-digest'],
        imageRef: headers['x-artifact-image-ref'] ?? null,
        maxBytes: max,
      });
      return { artifact_id: a.id, digest: a.digest, size_bytes: Number(a.size_bytes) };
    },
  }),
];
