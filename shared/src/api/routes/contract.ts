import type { z } from 'zod';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/**
 * One /api/v1 route as both ends see it: method, path and the zod schemas of its params, query,
 * body and response. The backend builds its route from it (adding access and handler) and the
 * console's client builds requests and checks answers with it, so the two cannot drift.
 */
export interface RouteContract<
  P extends z.ZodType | undefined = z.ZodType | undefined,
  Q extends z.ZodType | undefined = z.ZodType | undefined,
  B extends z.ZodType | undefined = z.ZodType | undefined,
  R extends z.ZodType = z.ZodType,
> {
  method: HttpMethod;
  path: string;
  params?: P;
  query?: Q;
  body?: B;
  response: R;
  /** The organisation is the caller's current one, sent as `X-Org-Id` (collection routes). */
  orgHeader?: true;
}

/** A contract with its absent schemas typed `undefined` (as reading them gives), so they infer exactly. */
export type Contract<
  P extends z.ZodType | undefined = z.ZodType | undefined,
  Q extends z.ZodType | undefined = z.ZodType | undefined,
  B extends z.ZodType | undefined = z.ZodType | undefined,
  R extends z.ZodType = z.ZodType,
> = RouteContract<P, Q, B, R> & { params: P; query: Q; body: B };

export function contract<
  P extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
  R extends z.ZodType = z.ZodType,
>(c: RouteContract<P, Q, B, R>): Contract<P, Q, B, R> {
  return c as Contract<P, Q, B, R>;
}
