import { contractPath, type AnyContract, type ContractInput, type ContractOutput } from '@syntra/shared';
// eslint-disable-next-line no-restricted-imports -- the typed client is the one caller of the raw transport
import { api, apiStream, apiUrl, type RequestOptions } from './api.js';

/** A call's params, query and body (typed by the contract) and the transport's options. */
export type CallInput<C extends AnyContract> = ContractInput<C> & Pick<RequestOptions, 'baseUrl' | 'token' | 'headers' | 'signal'>;

// Answers are checked against their schema while developing and in tests (drift shows at once);
// a production console trusts the control plane it talks to.
const env = (import.meta as ImportMeta & { env?: { DEV?: boolean; MODE?: string } }).env;
const validateAnswers = !!env && (env.DEV === true || env.MODE === 'test');

/** A contract's path with its params filled in and its query appended. */
export function pathOf<C extends AnyContract>(c: C, input: Pick<ContractInput<C>, 'params' | 'query'>): string {
  return contractPath(c, input);
}

/** The absolute URL of a contract's path on the current control plane (links, redirects, downloads). */
export function urlOf<C extends AnyContract>(c: C, input: Pick<ContractInput<C>, 'params' | 'query'>): string {
  return apiUrl(contractPath(c, input));
}

/**
 * The console's typed API client: the path, method and schemas come from the route's contract in
 * `@syntra/shared` (the one the backend route is built from), the transport is `api()` (cookie or
 * bearer session, CSRF header, X-Org-Id for collection routes, error envelope).
 */
export async function call<C extends AnyContract>(c: C, input: CallInput<C>): Promise<ContractOutput<C>> {
  const { params, query, body, ...transport } = input as CallInput<AnyContract> & { params?: Record<string, string>; query?: Record<string, never>; body?: unknown };
  const data = await api<unknown>(contractPath(c, { params, query } as Pick<ContractInput<C>, 'params' | 'query'>), {
    ...transport,
    method: c.method.toUpperCase() as RequestOptions['method'],
    body,
    org: c.orgHeader === true,
  });
  if (!validateAnswers || data === undefined) return data as ContractOutput<C>;
  const parsed = c.response.safeParse(data);
  if (!parsed.success) throw new Error(`${c.method.toUpperCase()} ${c.path}: the answer does not match its contract: ${parsed.error.message}`);
  return parsed.data as ContractOutput<C>;
}

/** A contract whose route streams server-sent events: the open Response (see `apiStream`). */
export function callStream<C extends AnyContract>(c: C, input: CallInput<C>): Promise<Response> {
  const { params, query, body, ...transport } = input as CallInput<AnyContract> & { params?: Record<string, string>; query?: Record<string, never>; body?: unknown };
  return apiStream(contractPath(c, { params, query } as Pick<ContractInput<C>, 'params' | 'query'>), {
    ...transport,
    method: c.method.toUpperCase() as RequestOptions['method'],
    body,
    org: c.orgHeader === true,
  });
}
