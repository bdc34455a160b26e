import { contracts, type User } from '@syntra/shared';
import { pathOf } from './api-client.js';
import { queryClient } from './query-client.js';
import { desktop } from './platform.js';
import { restoreSession, useSession } from './session.js';

export interface SessionResult {
  user: User;
  /** Null for the web console: the session came as an HttpOnly cookie. */
  token: string | null;
  /** Password sign-ins: proof this client signed in (the browser keeps it as a cookie; the desktop in main). */
  device_token?: string;
}

/** After password, register or OAuth: hand the token to main (desktop), or rely on the session cookie (web); then load the profile. */
export async function completeSignIn(result: SessionResult, baseUrl: string): Promise<void> {
  queryClient.clear();
  if (desktop) {
    if (!result.token) throw new Error('The control plane sent no session token');
    await desktop.session.save({ base_url: baseUrl, token: result.token, email: result.user.email, name: result.user.name, ...(result.device_token ? { device_token: result.device_token } : {}) });
    await restoreSession();
  } else {
    useSession.getState().setSignedIn({ baseUrl: '', token: null, accountId: 'web' });
  }
}

/** Only same-console relative paths are followed after sign-in (no open redirects). */
export function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

const VERIFIER_KEY = 'syntra.oauth.verifier';

function base64url(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Web console OAuth: PKCE in the browser, provider round trip, back to /auth/callback. */
export async function startWebOAuth(provider: string, next: string): Promise<void> {
  const verifier = base64url(crypto.getRandomValues(new Uint8Array(32)));
  const challenge = base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
  sessionStorage.setItem(VERIFIER_KEY, JSON.stringify({ verifier, next }));
  const url = new URL(pathOf(contracts.getAuthOauthByProviderStart, { params: { provider } }), window.location.origin);
  url.searchParams.set('redirect_uri', `${window.location.origin}/auth/callback`);
  url.searchParams.set('code_challenge', challenge);
  window.location.assign(url.toString());
}

export function takeOAuthVerifier(): { verifier?: string; next?: string } {
  const raw = sessionStorage.getItem(VERIFIER_KEY);
  sessionStorage.removeItem(VERIFIER_KEY);
  try {
    return raw ? (JSON.parse(raw) as { verifier?: string; next?: string }) : {};
  } catch {
    return {};
  }
}
