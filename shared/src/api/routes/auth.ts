// Generated once from the backend route files, now the source of truth: the backend routes and the
// console client both take their method, path and schemas from here.
import { z } from 'zod';
import { AuthProvidersSchema, LoginBodySchema, MeSchema, OAuthCallbackQuerySchema, OAuthStartQuerySchema, RegisterBodySchema, RegisterResultSchema, SessionResultSchema } from '../auth.js';
import { OAuthProviderSchema } from '../../contract-values.js';
import { OkSchema } from '../common.js';
import { text } from '../strings.js';
import { contract } from './contract.js';

export const ProviderParams = z.object({ provider: OAuthProviderSchema });

export const authContracts = {
  postAuthRegister: contract({
    method: 'post',
    path: '/api/v1/auth/register',
    body: RegisterBodySchema,
    response: RegisterResultSchema,
  }),
  postAuthLogin: contract({
    method: 'post',
    path: '/api/v1/auth/login',
    body: LoginBodySchema,
    response: SessionResultSchema,
  }),
  postAuthLogout: contract({
    method: 'post',
    path: '/api/v1/auth/logout',
    response: OkSchema,
  }),
  getAuthMe: contract({
    method: 'get',
    path: '/api/v1/auth/me',
    response: MeSchema,
  }),
  getAuthProviders: contract({
    method: 'get',
    path: '/api/v1/auth/providers',
    response: AuthProvidersSchema,
  }),
  getAuthOauthByProviderStart: contract({
    method: 'get',
    path: '/api/v1/auth/oauth/:provider/start',
    params: ProviderParams,
    query: z.object({
      redirect_uri: OAuthStartQuerySchema.shape.redirect_uri,
      code_challenge: text(43).regex(/^[A-Za-z0-9_-]{43}$/, 'S256 challenge, base64url').optional(),
    }),
    response: z.null().describe('302 to the provider'),
  }),
  getAuthOauthByProviderCallback: contract({
    method: 'get',
    path: '/api/v1/auth/oauth/:provider/callback',
    params: ProviderParams,
    query: OAuthCallbackQuerySchema,
    response: z.null().describe('302 to the console'),
  }),
  postAuthOauthExchange: contract({
    method: 'post',
    path: '/api/v1/auth/oauth/exchange',
    body: z.object({
      code: text(200).min(10),
      code_verifier: text(128).min(43).optional(),
    }),
    response: SessionResultSchema,
  }),
};
