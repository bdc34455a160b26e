import { z } from 'zod';
import { ApiTokenSchema, CreateTokenBodySchema, CreatedTokenSchema, IdSchema, OkSchema } from '@syntra/shared';
import { defineRoute } from '../../http/route.js';

export const tokenRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/v1/tokens',
    summary: "Your API tokens (prefix, scopes, last use; never the secret)",
    tag: 'tokens',
    access: { kind: 'user', scope: 'read' },
    response: z.array(ApiTokenSchema),
    handler: ({ auth }, deps) => deps.services.tokens.list(auth.user.id),
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/tokens',
    summary: 'Create an API token; the secret is in this response only',
    tag: 'tokens',
    access: { kind: 'user', scope: 'admin' },
    body: CreateTokenBodySchema,
    response: CreatedTokenSchema,
    status: 201,
    handler: ({ auth, meta, body }, deps) =>
      deps.services.tokens.create({ userId: auth.user.id, ip: meta.ip, userAgent: meta.userAgent }, body),
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
      await deps.services.tokens.revoke({ userId: auth.user.id, ip: meta.ip, userAgent: meta.userAgent }, params.id);
      return { ok: true as const };
    },
  }),
];
