import { createHmac } from 'node:crypto';
import type { Context } from 'koa';
import { constantTimeEqual } from '../lib/crypto.js';

/**
 * The web console's session: an HttpOnly cookie instead of a token in localStorage, so script on
 * the page (an XSS) cannot read it. Cookie-authenticated requests that change something carry a
 * CSRF token (signed double-submit: an HMAC of the session token the page reads from a non-HttpOnly
 * cookie and echoes as `X-CSRF-Token`) and, when the browser sends one, a same-origin `Origin`.
 * Bearer tokens (API clients, the desktop app) are not ambient and need neither.
 */
export const SESSION_COOKIE = 'syntra_session';
export const CSRF_COOKIE = 'syntra_csrf';
export const CSRF_HEADER = 'x-csrf-token';
export const DEVICE_COOKIE = 'syntra_device';
export const DEVICE_HEADER = 'x-syntra-device';
/** Sent by the web console on login/register/OAuth exchange: "deliver the session as a cookie". */
export const SESSION_MODE_HEADER = 'x-syntra-session';

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export interface CookieSettings {
  secretKey: string;
  /** PUBLIC_URL is https: cookies are Secure even when TLS ends at a proxy that is not trusted. */
  https: boolean;
  publicUrl: string;
}

function csrfFor(secretKey: string, sessionToken: string): string {
  return createHmac('sha256', secretKey).update(`syntra csrf v1:${sessionToken}`).digest('base64url');
}

function secure(ctx: Context, settings: CookieSettings): boolean {
  const on = ctx.secure || settings.https;
  // Koa refuses Secure cookies on a connection it sees as plain http (TLS ended at an untrusted proxy).
  if (on) ctx.cookies.secure = true;
  return on;
}

export function wantsCookieSession(ctx: Context): boolean {
  return ctx.get(SESSION_MODE_HEADER).toLowerCase() === 'cookie';
}

/** Sets the session and CSRF cookies; the caller then leaves the token out of the body. */
export function setSessionCookies(ctx: Context, settings: CookieSettings, token: string, expiresAt: Date): void {
  const common = { path: '/', expires: expiresAt, secure: secure(ctx, settings), overwrite: true };
  // Lax: top-level navigations to the console (links in mail, the OAuth return) keep the session.
  ctx.cookies.set(SESSION_COOKIE, token, { ...common, httpOnly: true, sameSite: 'lax' });
  ctx.cookies.set(CSRF_COOKIE, csrfFor(settings.secretKey, token), { ...common, httpOnly: false, sameSite: 'strict' });
}

export function clearSessionCookies(ctx: Context, settings: CookieSettings): void {
  const common = { path: '/', expires: new Date(0), secure: secure(ctx, settings), overwrite: true };
  ctx.cookies.set(SESSION_COOKIE, '', { ...common, httpOnly: true, sameSite: 'lax' });
  ctx.cookies.set(CSRF_COOKIE, '', { ...common, httpOnly: false, sameSite: 'strict' });
}

export function setDeviceCookie(ctx: Context, settings: CookieSettings, deviceToken: string, maxAgeMs: number): void {
  ctx.cookies.set(DEVICE_COOKIE, deviceToken, { path: '/api/v1/auth', maxAge: maxAgeMs, httpOnly: true, sameSite: 'strict', secure: secure(ctx, settings), overwrite: true });
}

export function deviceTokenOf(ctx: Context): string | null {
  return ctx.get(DEVICE_HEADER) || ctx.cookies.get(DEVICE_COOKIE) || null;
}

export function sessionCookieOf(ctx: Context): string | null {
  return ctx.cookies.get(SESSION_COOKIE) || null;
}

/** The session cookie from a raw `Cookie` header (WebSocket upgrades, which never reach Koa). */
export function sessionCookieFromHeader(header: string | undefined): string | null {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === SESSION_COOKIE) return part.slice(eq + 1).trim() || null;
  }
  return null;
}

/** Origins a cookie-carrying request may come from: the console's public address, or this request's own host. */
export function isSameOrigin(origin: string, host: string | undefined, publicUrl: string): boolean {
  try {
    const url = new URL(origin);
    return url.origin === new URL(publicUrl).origin || (host !== undefined && url.host === host);
  } catch {
    return false;
  }
}

/** Why a cookie-authenticated request must be refused (CSRF), or null when it may proceed. */
export function csrfProblem(ctx: Context, settings: CookieSettings, sessionToken: string): string | null {
  if (!UNSAFE.has(ctx.method)) return null;
  const origin = ctx.get('origin');
  if (origin && !isSameOrigin(origin, ctx.host, settings.publicUrl)) return `requests from ${origin} may not use this console's session`;
  const sent = ctx.get(CSRF_HEADER);
  if (!sent || !constantTimeEqual(sent, csrfFor(settings.secretKey, sessionToken))) {
    return `missing or wrong ${CSRF_HEADER} header (the console sends the ${CSRF_COOKIE} cookie's value)`;
  }
  return null;
}

export function cookieSettings(config: { secretKey: string | undefined; publicUrlIsHttps: boolean; publicUrl: string }): CookieSettings {
  if (!config.secretKey) throw new Error('session cookies need config.secretKey');
  return { secretKey: config.secretKey, https: config.publicUrlIsHttps, publicUrl: config.publicUrl };
}
