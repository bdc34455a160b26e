import { contracts } from '@syntra/shared';
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

/** Browser consoles (`X-Syntra-Session: cookie`) get the session as HttpOnly cookies and no token in the body. */
function deliverSession<T extends { token: string | null; expires_at: string; device_token?: string | undefined }>(ctx: Context, deps: AppDeps, result: T): T {
  const settings = cookieSettings(deps.config);
  if (result.device_token) setDeviceCookie(ctx, settings, result.device_token, DEVICE_PROOF_TTL_MS);
  if (!wantsCookieSession(ctx) || !result.token) return result;
  setSessionCookies(ctx, settings, result.token, new Date(result.expires_at));
  return { ...result, token: null };
}

export const authRoutes = [
  defineRoute(contracts.postAuthRegister, {
    summary: 'Create an account (the first one is the installation admin); with an invite you join that organisation, else you get a personal one. SYNTRA_SIGNUP decides who may; rate-limited per IP',
    tag: 'auth',
    access: { kind: 'public' },
    status: 201,
    handler: async ({ body, meta, ctx }, deps) => deliverSession(ctx, deps, await deps.services.auth.register(body, clientOf(meta))),
  }),
  defineRoute(contracts.postAuthLogin, {
    summary: 'Sign in with email and password; rate-limited per IP and per account, never blocking a client with device proof (X-Syntra-Device or its cookie)',
    tag: 'auth',
    access: { kind: 'public' },
    handler: async ({ body, meta, ctx }, deps) => deliverSession(ctx, deps, await deps.services.auth.login(body, clientOf(meta), deviceTokenOf(ctx))),
  }),
  defineRoute(contracts.postAuthLogout, {
    summary: 'Revoke the session this request carries (token or cookie) and clear the session cookies',
    tag: 'auth',
    access: { kind: 'user', scope: 'read' },
    handler: async ({ auth, meta, ctx }, deps) => {
      await deps.services.auth.logout(auth, clientOf(meta));
      clearSessionCookies(ctx, cookieSettings(deps.config));
      return { ok: true as const };
    },
  }),
  defineRoute(contracts.getAuthMe, {
    summary: 'The signed-in user and their organisations',
    tag: 'auth',
    access: { kind: 'user', scope: 'read' },
    handler: ({ auth }, deps) => deps.services.auth.me(auth.user.id, auth.tokenOrgId),
  }),
  defineRoute(contracts.getAuthProviders, {
    summary: 'Sign-in methods this installation offers and who may register',
    tag: 'auth',
    access: { kind: 'public' },
    handler: async (_req, deps) => ({ password: true as const, oauth: deps.services.oauth.enabled(), ...(await deps.services.auth.signupStatus()) }),
  }),
  defineRoute(contracts.getAuthOauthByProviderStart, {
    summary: "Redirects to the provider's consent page (authorization code + PKCE + state)",
    tag: 'auth',
    access: { kind: 'public' },
    status: 302,
    raw: true,
    handler: async ({ params, query, ctx }, deps) => {
      ctx.redirect(await deps.services.oauth.start(params.provider, query));
    },
  }),
  defineRoute(contracts.getAuthOauthByProviderCallback, {
    summary: 'Where the provider returns; redirects to the console with a one-time sign-in code',
    tag: 'auth',
    access: { kind: 'public' },
    status: 302,
    raw: true,
    handler: async ({ params, query, ctx }, deps) => {
      ctx.redirect(await deps.services.oauth.callback(params.provider, query));
    },
  }),
  defineRoute(contracts.postAuthOauthExchange, {
    summary: 'Trade the one-time sign-in code (and the console PKCE verifier, if one was used) for a session',
    tag: 'auth',
    access: { kind: 'public' },
    handler: async ({ body, meta, ctx }, deps) => deliverSession(ctx, deps, await deps.services.oauth.exchange(body, clientOf(meta))),
  }),
];
