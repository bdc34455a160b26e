import { isIP } from 'node:net';
import Router from '@koa/router';
import type { Context } from 'koa';
import { effectivePermissions, roleCan, scopeFor, scopesAllow } from '@syntra/shared';
import type { AppDeps } from '../deps.js';
import { ForbiddenError, NotFoundError, UnauthorizedError, ValidationError } from '../errors.js';
import type { Principal } from '../modules/auth/index.js';
import type { AnyRoute, OrgAccess, OrgResolver, RequestMeta } from './route.js';
import { parseOrThrow } from './validate.js';
import { cookieSettings, csrfProblem, sessionCookieOf } from './session-cookies.js';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The client's address as stored (audit, sessions, terminal sessions: up to 45-64 characters) and
 * rate-limited on. Behind a trusted proxy Koa takes it from X-Forwarded-For, which a client can
 * fill with anything the proxy passes on; what is not an IP address falls back to the peer's.
 */
export function clientIp(ctx: Context): string {
  if (isIP(ctx.ip)) return ctx.ip;
  return ctx.socket.remoteAddress ?? 'unknown';
}

export function bearerToken(ctx: Context): string | null {
  const header = ctx.get('authorization');
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match?.[1] ?? null;
}

async function resolveOrgId(resolver: OrgResolver, ctx: Context, params: Record<string, string>, deps: AppDeps, principal: Principal) {
  if (resolver === 'header') {
    const explicit = ctx.get('x-org-id') || (typeof ctx.query.org_id === 'string' ? ctx.query.org_id : '');
    if (explicit) {
      if (!UUID_RE.test(explicit)) throw new ValidationError('X-Org-Id must be an organisation id (uuid)');
      return explicit;
    }
    if (principal.tokenOrgId) return principal.tokenOrgId;
    return deps.services.orgs.firstOrgIdOf(principal.user.id);
  }
  if ('param' in resolver) return params[resolver.param] ?? null;
  return resolver.lookup(params, deps);
}

/**
 * A bearer token (API clients, the desktop app) or, for the web console, the HttpOnly session
 * cookie — which, being sent by the browser on its own, must pass the CSRF check on unsafe methods.
 * Public routes ignore the cookie: signing in again with a stale one must work.
 */
async function authenticate(route: AnyRoute, ctx: Context, deps: AppDeps): Promise<Principal | null> {
  const bearer = bearerToken(ctx);
  const cookie = !bearer && route.access.kind !== 'public' ? sessionCookieOf(ctx) : null;
  const token = bearer ?? cookie;
  const principal = token ? await deps.services.auth.authenticate(token) : null;
  if (route.access.kind !== 'public' && !principal) {
    throw new UnauthorizedError(token ? 'Invalid or expired token' : 'Authentication required');
  }
  if (cookie && principal) {
    const problem = csrfProblem(ctx, cookieSettings(deps.config), cookie);
    if (problem) throw new ForbiddenError(`CSRF check failed: ${problem}`);
  }
  return principal;
}

/**
 * The one enforcement point for access: organisation membership (absent → 404, so another
 * organisation's resources do not leak), the role permission table, and API-token scopes.
 */
async function authorise(
  route: AnyRoute,
  ctx: Context,
  params: Record<string, string>,
  deps: AppDeps,
  principal: Principal | null,
): Promise<OrgAccess | null> {
  if (route.access.kind === 'public' || !principal) return null;
  if (route.access.kind === 'user') {
    if (principal.scopes && !scopesAllow(principal.scopes, route.access.scope)) {
      throw new ForbiddenError(`This API token lacks the "${route.access.scope}" scope`);
    }
    if (route.access.accountWide && principal.tokenOrgId) {
      throw new ForbiddenError('This API token is bound to one organisation; it cannot act beyond it');
    }
    return null;
  }

  const orgId = await resolveOrgId(route.access.org, ctx, params, deps, principal);
  if (!orgId) throw new NotFoundError();
  if (principal.tokenOrgId && principal.tokenOrgId !== orgId) throw new NotFoundError();
  const role = await deps.services.orgs.roleOf(orgId, principal.user.id);
  if (!role) throw new NotFoundError();
  const { permission } = route.access;
  if (!roleCan(role, permission)) throw new ForbiddenError(`The ${role} role cannot do this (${permission})`);
  const scope = scopeFor(permission);
  if (principal.scopes && !scopesAllow(principal.scopes, scope)) {
    throw new ForbiddenError(`This API token lacks the "${scope}" scope`);
  }
  return { id: orgId, role, permissions: effectivePermissions(role, principal.scopes) };
}

/**
 * Every route runs the same pipeline: authenticate → validate path params → authorise → validate
 * query and body → handler → response parsed through its schema. Handlers see only validated,
 * authorised input.
 */
export function buildRouter(routes: readonly AnyRoute[], deps: AppDeps): Router {
  const router = new Router();
  for (const route of routes) {
    router[route.method](route.path, async (ctx) => {
      const principal = await authenticate(route, ctx, deps);
      const rawParams = ctx.params as Record<string, string>;
      const params = route.params ? parseOrThrow(route.params, rawParams, 'path parameters') : rawParams;
      const org = await authorise(route, ctx, params as Record<string, string>, deps, principal);
      const query = route.query ? parseOrThrow(route.query, ctx.query, 'query') : undefined;
      const body = route.body ? parseOrThrow(route.body, ctx.request.body ?? {}, 'body') : undefined;
      const meta: RequestMeta = {
        requestId: ctx.state.requestId as string,
        ip: clientIp(ctx),
        userAgent: ctx.get('user-agent') || null,
        log: ctx.state.log as RequestMeta['log'],
      };
      ctx.state.userId = principal?.user.id;
      // auth/org are non-null exactly when the route's access kind says so (checked above).
      const request = { params, query, body, auth: principal, org, meta, ctx } as Parameters<AnyRoute['handler']>[0];
      const result = await route.handler(request, deps);
      if (route.raw) return;
      ctx.status = route.status ?? 200;
      if (ctx.status === 204) return;
      // Parsing the result through its schema strips every field the contract does not name.
      ctx.body = { success: true, data: route.response.parse(result) };
    });
  }
  return router;
}
