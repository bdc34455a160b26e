import type { z } from 'zod';
import type { Contract } from '@syntra/shared';
// eslint-disable-next-line no-restricted-imports -- the typed client is the one caller of the raw transport
import { api, apiUrl, type RequestOptions } from './api.js';

type AnyContract = Contract<z.ZodType | undefined, z.ZodType | undefined, z.ZodType | undefined, z.ZodType>;
type QueryValue = string | number | boolean | null | undefined;

/** What a call supplies: path params and body when the contract has them, query keys it knows. */
export type CallInput<C extends AnyContract> = (C['params'] extends z.ZodType ? { params: { [K in keyof z.input<C['params']>]: string } } : { params?: undefined }) &
  (C['query'] extends z.ZodType ? { query?: { [K in keyof z.input<C['query']>]?: QueryValue } } : { query?: undefined }) &
  (C['body'] extends z.ZodType ? { body: z.input<C['body']> } : { body?: undefined }) &
  Pick<RequestOptions, 'baseUrl' | 'token' | 'headers' | 'signal'>;

export type CallResult<C extends AnyContract> = z.output<C['response']>;

// Answers are checked against their schema while developing and in tests (drift shows at once);
// a production console trusts the control plane it talks to.
const env = (import.meta as ImportMeta & { env?: { DEV?: boolean; MODE?: string } }).env;
const validateAnswers = !!env && (env.DEV === true || env.MODE === 'test');

/** A contract's path with its params filled in and its query appended: `/api/v1/servers/abc?limit=5`. */
export function pathOf<C extends AnyContract>(c: C, input: Pick<CallInput<C>, 'params' | 'query'>): string {
  const params = (input.params ?? {}) as Record<string, string>;
  const path = c.path.replace(/:(\w+)/g, (_m, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`${c.path}: missing path parameter ${name}`);
    return encodeURIComponent(value);
  });
  const qs = new URLSearchParams();
  for (const [key, value] of Object.entries((input.query ?? {}) as Record<string, QueryValue>)) {
    // Like the forms' filters always did: an empty field is no filter.
    if (value !== undefined && value !== null && value !== '') qs.set(key, String(value));
  }
  const search = qs.toString();
  return search ? `${path}?${search}` : path;
}

/** The absolute URL of a contract's path on the current control plane (links, redirects, downloads). */
export function urlOf<C extends AnyContract>(c: C, input: Pick<CallInput<C>, 'params' | 'query'>): string {
  return apiUrl(pathOf(c, input));
}

/**
 * The console's typed API client: the path, method and schemas come from the route's contract in
 * `@syntra/shared` (the one the backend route is built from), the transport is `api()` (cookie or
 * bearer session, CSRF header, X-Org-Id for collection routes, error envelope).
 */
export async function call<C extends AnyContract>(c: C, input: CallInput<C>): Promise<CallResult<C>> {
  const { params, query, body, ...transport } = input as CallInput<AnyContract> & { body?: unknown };
  const data = await api<unknown>(pathOf(c, { params, query } as Pick<CallInput<C>, 'params' | 'query'>), {
    ...transport,
    method: c.method.toUpperCase() as RequestOptions['method'],
    body,
    org: c.orgHeader === true,
  });
  if (!validateAnswers || data === undefined) return data as CallResult<C>;
  const parsed = c.response.safeParse(data);
  if (!parsed.success) throw new Error(`${c.method.toUpperCase()} ${c.path}: the answer does not match its contract: ${parsed.error.message}`);
  return parsed.data as CallResult<C>;
}

export const client = { call, pathOf, urlOf };
