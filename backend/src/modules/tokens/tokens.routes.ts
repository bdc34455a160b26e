import { contracts } from '@syntra/shared';
import { defineRoute } from '../../http/route.js';

export const tokenRoutes = [
  defineRoute(contracts.getTokens, {
    summary: "Your API tokens (prefix, scopes, last use; never the secret); an org-bound token sees those bound to its organisation",
    tag: 'tokens',
    access: { kind: 'user', scope: 'read' },
    handler: ({ auth }, deps) => deps.services.tokens.list(auth.user.id, auth),
  }),
  defineRoute(contracts.postTokens, {
    summary: 'Create an API token; the secret is in this response only. Minted by a token: same organisation, no later expiry, no scope it lacks',
    tag: 'tokens',
    access: { kind: 'user', scope: 'admin' },
    status: 201,
    handler: ({ auth, meta, body }, deps) =>
      deps.services.tokens.create({ userId: auth.user.id, ip: meta.ip, userAgent: meta.userAgent }, auth, body),
  }),
  defineRoute(contracts.deleteTokensById, {
    summary: 'Revoke an API token',
    tag: 'tokens',
    access: { kind: 'user', scope: 'admin' },
    handler: async ({ auth, meta, params }, deps) => {
      await deps.services.tokens.revoke({ userId: auth.user.id, ip: meta.ip, userAgent: meta.userAgent }, auth, params.id);
      return { ok: true as const };
    },
  }),
];
