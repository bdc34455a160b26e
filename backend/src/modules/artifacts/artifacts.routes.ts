import fs from 'node:fs';
import { z } from 'zod';
import { IdSchema } from '@syntra/shared';
import { bearerToken } from '../../http/build-router.js';
import { defineRoute } from '../../http/route.js';
import { NotFoundError, UnauthorizedError } from '../../errors.js';
import { sha256Hex } from '../../lib/crypto.js';

export const artifactRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/v1/artifacts/:artifactId',
    summary: 'Download a build artifact (agents, with their own agent token); X-Artifact-Digest carries its sha256',
    tag: 'deployments',
    // Authenticated by the agent token, not a user session: checked in the handler.
    access: { kind: 'public' },
    params: z.object({ artifactId: IdSchema }),
    response: z.unknown(),
    raw: true,
    handler: async ({ params, ctx }, deps) => {
      const token = bearerToken(ctx);
      if (!token) throw new UnauthorizedError('Agent token required');
      const server = await deps.db('servers').select('id', 'org_id').where({ agent_token_hash: sha256Hex(token) }).first();
      if (!server) throw new UnauthorizedError('Invalid agent token');
      const artifact = await deps.services.artifacts.find(params.artifactId);
      // Only the server that runs the artifact's service may fetch it; for any other agent it does not exist.
      const owner = artifact ? await deps.db('services').select('server_id').where({ id: artifact.service_id }).first() : null;
      if (!artifact || artifact.org_id !== server.org_id || owner?.server_id !== server.id) throw new NotFoundError('Artifact');
      const file = deps.services.artifacts.filePath(artifact);
      if (!file || !fs.existsSync(file)) throw new NotFoundError('Artifact file');
      ctx.set('X-Artifact-Digest', artifact.digest);
      ctx.type = artifact.kind === 'image' ? 'application/x-tar' : 'application/gzip';
      ctx.length = Number(artifact.size_bytes);
      ctx.body = fs.createReadStream(file);
    },
  }),
];
