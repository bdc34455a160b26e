import { z } from 'zod';
import { ApiTokenSchema, CreateTokenBodySchema, CreatedTokenSchema, IdSchema, OkSchema } from '@syntra/shared';
import { defineRoute } from '../../http/route.js';

export const tokenRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/v1/tokens',
    summary: "Your API tokens (prefix, scopes, last use; never the secret); an org-bound token sees those bound to its organisation",
    tag: 'tokens',
    access: { kind: 'user', scope: 'read' },
    response: z.array(ApiTokenSchema),
    handler: ({ auth }, deps) => deps.services.tokens.list(auth.user.id, auth),
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/tokens',
    summary: 'Create an API token; the secret is in this response only. Minted by a token: same organisation, no later expiry, no scope it lacks',
    tag: 'tokens',
    access: { kind: 'user', scope: 'admin' },
    body: CreateTokenBodySchema,
    response: CreatedTokenSchema,
    status: 201,
    handler: ({ auth, meta, body }, deps) =>
      deps.services.tokens.create({ userId: auth.user.id, ip: meta.ip, userAgent: meta.userAgent }, auth, body),
  }),
  defineRoute({
    method: 'delete',
    path: '/api/v1/tokens/:id',
    summary: 'Revoke an API token',
    tag: 'tokens',
    access: { kind: 'user', scope: 'admin' },
    params: z.object({ id: IdSchema }),
    response: OkSchema,
    handler: async ({ auth, meta, params }, deps) => {
      await deps.services.tokens.revoke({ userId: auth.user.id, ip: meta.ip, userAgent: meta.userAgent }, auth, params.id);
      return { ok: true as const };
    },
  }),
];
