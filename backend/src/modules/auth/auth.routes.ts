import { z } from 'zod';
import {
  AuthProvidersSchema,
  LoginBodySchema,
  MeSchema,
  OAuthCallbackQuerySchema,
  OAuthProviderSchema,
  OAuthStartQuerySchema,
  OkSchema,
  RegisterBodySchema,
  RegisterResultSchema,
  SessionResultSchema,
  text,
} from '@syntra/shared';
import { defineRoute, type RequestMeta } from '../../http/route.js';

const clientOf = (meta: RequestMeta) => ({ ip: meta.ip, userAgent: meta.userAgent });
const ProviderParams = z.object({ provider: OAuthProviderSchema });

export const authRoutes = [
  defineRoute({
    method: 'post',
    path: '/api/v1/auth/register',
    summary: 'Create an account; a personal organisation is created with you as its owner',
    tag: 'auth',
    access: { kind: 'public' },
    body: RegisterBodySchema,
    response: RegisterResultSchema,
    status: 201,
    handler: ({ body, meta }, deps) => deps.services.auth.register(body, clientOf(meta)),
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/auth/login',
    summary: 'Sign in with email and password (rate-limited per IP and per account)',
    tag: 'auth',
    access: { kind: 'public' },
    body: LoginBodySchema,
    response: SessionResultSchema,
    handler: ({ body, meta }, deps) => deps.services.auth.login(body, clientOf(meta)),
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/auth/logout',
    summary: 'Revoke the session token this request carries',
    tag: 'auth',
    access: { kind: 'user', scope: 'read' },
    response: OkSchema,
    handler: async ({ auth, meta }, deps) => {
      await deps.services.auth.logout(auth, clientOf(meta));
      return { ok: true as const };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/auth/me',
    summary: 'The signed-in user and their organisations',
    tag: 'auth',
    access: { kind: 'user', scope: 'read' },
    response: MeSchema,
    handler: ({ auth }, deps) => deps.services.auth.me(auth.user.id),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/auth/providers',
    summary: 'Sign-in methods this installation offers',
    tag: 'auth',
    access: { kind: 'public' },
    response: AuthProvidersSchema,
    handler: async (_req, deps) => ({ password: true as const, oauth: deps.services.oauth.enabled() }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/auth/oauth/:provider/start',
    summary: "Redirects to the provider's consent page (authorization code + PKCE + state)",
    tag: 'auth',
    access: { kind: 'public' },
    params: ProviderParams,
    query: z.object({
      redirect_uri: OAuthStartQuerySchema.shape.redirect_uri,
      code_challenge: text(43).regex(/^[A-Za-z0-9_-]{43}$/, 'S256 challenge, base64url').optional(),
    }),
    response: z.null().describe('302 to the provider'),
    status: 302,
    raw: true,
    handler: async ({ params, query, ctx }, deps) => {
      ctx.redirect(await deps.services.oauth.start(params.provider, query));
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/auth/oauth/:provider/callback',
    summary: 'Where the provider returns; redirects to the console with a one-time sign-in code',
    tag: 'auth',
    access: { kind: 'public' },
    params: ProviderParams,
    query: OAuthCallbackQuerySchema,
    response: z.null().describe('302 to the console'),
    status: 302,
    raw: true,
    handler: async ({ params, query, ctx }, deps) => {
      ctx.redirect(await deps.services.oauth.callback(params.provider, query));
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/auth/oauth/exchange',
    summary: 'Trade the one-time sign-in code (and the console PKCE verifier, if one was used) for a session',
    tag: 'auth',
    access: { kind: 'public' },
    body: z.object({
      code: text(200).min(10),
      code_verifier: text(128).min(43).optional(),
    }),
    response: SessionResultSchema,
    handler: ({ body, meta }, deps) => deps.services.oauth.exchange(body, clientOf(meta)),
  }),
];
