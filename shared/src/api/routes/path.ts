import type { z } from 'zod';
import type { Contract } from './contract.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any contract, whatever its schemas
export type AnyContract = Contract<any, any, any, z.ZodType>;
export type QueryValue = string | number | boolean | null | undefined;

/** What a request on a contract supplies: path params and body when it has them, query keys it knows. */
export type ContractInput<C extends AnyContract> = (C['params'] extends z.ZodType ? { params: { [K in keyof z.input<C['params']>]: string } } : { params?: undefined }) &
  (C['query'] extends z.ZodType ? { query?: { [K in keyof z.input<C['query']>]?: QueryValue } } : { query?: undefined }) &
  (C['body'] extends z.ZodType ? { body: z.input<C['body']> } : { body?: undefined });

/** What a contract's route answers with (the envelope's `data`). */
export type ContractOutput<C extends AnyContract> = z.output<C['response']>;

/**
 * A contract's path with its params filled in (URI-encoded) and its query appended:
 * `/api/v1/servers/abc?limit=5`. Absent, null and empty query values are left out (no filter).
 */
export function contractPath<C extends AnyContract>(c: C, input: Pick<ContractInput<C>, 'params' | 'query'>): string {
  const params = (input.params ?? {}) as Record<string, string>;
  const path = c.path.replace(/:(\w+)/g, (_m, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`${c.path}: missing path parameter ${name}`);
    return encodeURIComponent(value);
  });
  const pairs: string[] = [];
  for (const [key, value] of Object.entries((input.query ?? {}) as Record<string, QueryValue>)) {
    if (value !== undefined && value !== null && value !== '') pairs.push(`${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`);
  }
  return pairs.length ? `${path}?${pairs.join('&')}` : path;
}
