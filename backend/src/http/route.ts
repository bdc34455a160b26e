import type { Context } from 'koa';
import type { z } from 'zod';
import type { EffectivePermissions, Contract, HttpMethod, OrgRole, Permission, TokenScope } from '@syntra/shared';
import type { Logger } from '../logger.js';
import type { AppDeps } from '../deps.js';
import type { Principal } from '../modules/auth/index.js';

export type { HttpMethod };

/**
 * How an org-scoped route finds the organisation it acts on:
 * - `header`: collection routes; `X-Org-Id` (or `?org_id`), else the caller's first organisation;
 * - `{ param }`: the org id is a path parameter (`/orgs/:orgId/...`);
 * - `{ lookup }`: a resource route; the lookup returns the owning org id or null (→ 404).
 */
export type OrgResolver =
  | 'header'
  | { param: string }
  | { lookup: (params: Record<string, string>, deps: AppDeps) => Promise<string | null> };

export type RouteAccess =
  | { kind: 'public' }
  /**
   * Signed in; acts on the caller's own account. `scope` is what an API token must carry.
   * `accountWide`: the route reaches beyond any one organisation (creates or joins one), so a
   * token bound to an organisation is refused; other user routes show such a token its org only.
   */
  | { kind: 'user'; scope: TokenScope; accountWide?: true }
  | { kind: 'org'; permission: Permission; org: OrgResolver };

export interface RequestMeta {
  requestId: string;
  ip: string;
  userAgent: string | null;
  log: Logger;
}

export interface OrgAccess {
  id: string;
  role: OrgRole;
  /** The role's permissions narrowed by the token's scopes: what services decide by. */
  permissions: EffectivePermissions;
}

type Infer<S> = S extends z.ZodType ? z.infer<S> : undefined;

export interface RouteRequest<P, Q, B, A extends RouteAccess> {
  params: Infer<P>;
  query: Infer<Q>;
  body: Infer<B>;
  auth: A['kind'] extends 'public' ? Principal | null : Principal;
  org: A['kind'] extends 'org' ? OrgAccess : null;
  meta: RequestMeta;
  /** For routes that answer with something other than the JSON envelope (redirects) or set cookies. */
  ctx: Context;
}

export interface RouteDef<
  P extends z.ZodType | undefined = z.ZodType | undefined,
  Q extends z.ZodType | undefined = z.ZodType | undefined,
  B extends z.ZodType | undefined = z.ZodType | undefined,
  R extends z.ZodType = z.ZodType,
  A extends RouteAccess = RouteAccess,
> {
  method: HttpMethod;
  path: string;
  summary: string;
  tag: string;
  access: A;
  params?: P;
  query?: Q;
  body?: B;
  response: R;
  /** Success status; 204 answers without a body. */
  status?: 200 | 201 | 202 | 204 | 302;
  /** Set when the handler writes the response itself (redirects); `response` documents it. */
  raw?: boolean;
  handler: (req: RouteRequest<P, Q, B, A>, deps: AppDeps) => Promise<z.input<R> | void>;
}

// The table stores routes with their precise types erased; defineRoute keeps them for the handler.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRoute = RouteDef<any, any, any, any, RouteAccess>;

/** What the backend adds to a route's shared contract: who may call it and what it does. */
export type RouteBehaviour<
  P extends z.ZodType | undefined,
  Q extends z.ZodType | undefined,
  B extends z.ZodType | undefined,
  R extends z.ZodType,
  A extends RouteAccess,
> = Omit<RouteDef<P, Q, B, R, A>, 'method' | 'path' | 'params' | 'query' | 'body' | 'response'>;

/**
 * A route from its contract in `@syntra/shared` (method, path, schemas; the console's client uses the
 * same one) and its behaviour here. Collection routes resolve the org from `X-Org-Id`, which the
 * contract must say, since the client sends that header only when it does.
 */
export function defineRoute<
  P extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
  R extends z.ZodType = z.ZodType,
  A extends RouteAccess = RouteAccess,
>(contract: Contract<P, Q, B, R>, behaviour: RouteBehaviour<P, Q, B, R, A>): AnyRoute {
  const header = behaviour.access.kind === 'org' && behaviour.access.org === 'header';
  if (header !== (contract.orgHeader === true)) {
    throw new Error(`${routeId(contract)}: the contract's orgHeader must match the route's X-Org-Id resolution`);
  }
  const { orgHeader: _orgHeader, ...wire } = contract;
  return { ...wire, ...behaviour } as AnyRoute;
}

export function routeId(route: Pick<AnyRoute, 'method' | 'path'>): string {
  return `${route.method.toUpperCase()} ${route.path}`;
}
