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
import type { Context } from 'koa';
import type { AppDeps } from '../../deps.js';
import { defineRoute, type RequestMeta } from '../../http/route.js';
import {
  clearSessionCookies,
  cookieSettings,
  deviceTokenOf,
  setDeviceCookie,
  setSessionCookies,
  wantsCookieSession,
} from '../../http/session-cookies.js';
import { DEVICE_PROOF_TTL_MS } from './device-proof.js';

const clientOf = (meta: RequestMeta) => ({ ip: meta.ip, userAgent: meta.userAgent });
const ProviderParams = z.object({ provider: OAuthProviderSchema });

/** Browser consoles (`X-Syntra-Session: cookie`) get the session as HttpOnly cookies and no token in the body. */
function deliverSession<T extends { token: string | null; expires_at: string; device_token?: string | undefined }>(ctx: Context, deps: AppDeps, result: T): T {
  const settings = cookieSettings(deps.config);
  if (result.device_token) setDeviceCookie(ctx, settings, result.device_token, DEVICE_PROOF_TTL_MS);
  if (!wantsCookieSession(ctx) || !result.token) return result;
  setSessionCookies(ctx, settings, result.token, new Date(result.expires_at));
  return { ...result, token: null };
}

export const authRoutes = [
  defineRoute({
    method: 'post',
    path: '/api/v1/auth/register',
    summary: 'Create an account (the first one is the installation admin); with an invite you join that organisation, else you get a personal one. SYNTRA_SIGNUP decides who may; rate-limited per IP',
    tag: 'auth',
    access: { kind: 'public' },
    body: RegisterBodySchema,
    response: RegisterResultSchema,
    status: 201,
    handler: async ({ body, meta, ctx }, deps) => deliverSession(ctx, deps, await deps.services.auth.register(body, clientOf(meta))),
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/auth/login',
    summary: 'Sign in with email and password; rate-limited per IP and per account, never blocking a client with device proof (X-Syntra-Device or its cookie)',
    tag: 'auth',
    access: { kind: 'public' },
    body: LoginBodySchema,
    response: SessionResultSchema,
    handler: async ({ body, meta, ctx }, deps) => deliverSession(ctx, deps, await deps.services.auth.login(body, clientOf(meta), deviceTokenOf(ctx))),
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/auth/logout',
    summary: 'Revoke the session this request carries (token or cookie) and clear the session cookies',
    tag: 'auth',
    access: { kind: 'user', scope: 'read' },
    response: OkSchema,
    handler: async ({ auth, meta, ctx }, deps) => {
      await deps.services.auth.logout(auth, clientOf(meta));
      clearSessionCookies(ctx, cookieSettings(deps.config));
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
    handler: ({ auth }, deps) => deps.services.auth.me(auth.user.id, auth.tokenOrgId),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/auth/providers',
    summary: 'Sign-in methods this installation offers and who may register',
    tag: 'auth',
    access: { kind: 'public' },
    response: AuthProvidersSchema,
    handler: async (_req, deps) => ({ password: true as const, oauth: deps.services.oauth.enabled(), ...(await deps.services.auth.signupStatus()) }),
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
    handler: async ({ body, meta, ctx }, deps) => deliverSession(ctx, deps, await deps.services.oauth.exchange(body, clientOf(meta))),
  }),
];
