import { z } from 'zod';
import type { OAuthProvider } from '@syntra/shared';
import type { Config } from '../../config.js';

/** What we need from a provider: a stable id and an email the provider itself has verified. */
export interface OAuthIdentity {
  providerUserId: string;
  email: string | null;
  emailVerified: boolean;
  name: string | null;
  avatarUrl: string | null;
}

export interface OAuthProviderDef {
  authorizationEndpoint: string;
  tokenEndpoint: string;
  scopes: string[];
  clientId: string;
  clientSecret: string;
  fetchIdentity(accessToken: string): Promise<OAuthIdentity>;
}

async function getJson<S extends z.ZodType>(url: string, accessToken: string, schema: S): Promise<z.infer<S>> {
  const res = await fetch(url, {
    headers: { Authorization: `Bearer ${accessToken}`, Accept: 'application/json', 'User-Agent': 'syntra' },
    signal: AbortSignal.timeout(10_000),
  });
  if (!res.ok) throw new Error(`${url} answered ${res.status}`);
  return schema.parse(await res.json());
}

// GitHub: GET /user, and GET /user/emails for the verified primary address (the profile email may be empty or unverified).
const GitHubUser = z.object({ id: z.number(), login: z.string(), name: z.string().nullable().optional(), avatar_url: z.string().nullable().optional() });
const GitHubEmails = z.array(z.object({ email: z.string(), primary: z.boolean(), verified: z.boolean() }));

// Google: the OpenID Connect userinfo endpoint.
const GoogleUser = z.object({
  sub: z.string(),
  email: z.string().optional(),
  email_verified: z.boolean().optional(),
  name: z.string().optional(),
  picture: z.string().optional(),
});

/** The providers that have a client id and secret configured; the others are off. */
export function configuredProviders(config: Config): Partial<Record<OAuthProvider, OAuthProviderDef>> {
  const o = config.oauth;
  const providers: Partial<Record<OAuthProvider, OAuthProviderDef>> = {};
  if (o.github) {
    providers.github = {
      ...o.github,
      authorizationEndpoint: `${o.githubBaseUrl}/login/oauth/authorize`,
      tokenEndpoint: `${o.githubBaseUrl}/login/oauth/access_token`,
      scopes: ['read:user', 'user:email'],
      async fetchIdentity(token) {
        const user = await getJson(`${o.githubApiBaseUrl}/user`, token, GitHubUser);
        const emails = await getJson(`${o.githubApiBaseUrl}/user/emails`, token, GitHubEmails);
        const primary = emails.find((e) => e.primary && e.verified) ?? emails.find((e) => e.verified);
        return { providerUserId: String(user.id), email: primary?.email ?? null, emailVerified: Boolean(primary), name: user.name ?? user.login, avatarUrl: user.avatar_url ?? null };
      },
    };
  }
  if (o.google) {
    providers.google = {
      ...o.google,
      authorizationEndpoint: `${o.googleBaseUrl}/o/oauth2/v2/auth`,
      tokenEndpoint: o.googleTokenUrl,
      scopes: ['openid', 'email', 'profile'],
      async fetchIdentity(token) {
        const user = await getJson(o.googleUserinfoUrl, token, GoogleUser);
        return { providerUserId: user.sub, email: user.email ?? null, emailVerified: user.email_verified === true, name: user.name ?? null, avatarUrl: user.picture ?? null };
      },
    };
  }
  return providers;
}
