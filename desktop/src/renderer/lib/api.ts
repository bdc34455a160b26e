import { ApiRequestError, NetworkError } from './api-error.js';
import { useConnection } from './connection.js';
import { desktop } from './platform.js';
import { csrfToken, useSession } from './session.js';

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  /** Sends `X-Org-Id` for collection routes of the current organisation. */
  org?: boolean;
  /** Override the base URL (desktop sign-in to a control plane not yet saved). */
  baseUrl?: string;
  token?: string | null;
  /** Extra request headers (the desktop's device proof at sign-in). */
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/** The headers every request carries: the session (bearer or cookie + CSRF), the org, JSON. */
function requestHeaders(opts: RequestOptions, accept: string): Record<string, string> {
  const { session, orgId } = useSession.getState();
  const token = opts.token === undefined ? session?.token : opts.token;
  const headers: Record<string, string> = { accept, ...opts.headers };
  if (token) headers.authorization = `Bearer ${token}`;
  if (!desktop) {
    // Web console: sign-ins deliver the session as an HttpOnly cookie, and cookie-authenticated
    // changes carry the CSRF token the server set beside it.
    headers['x-syntra-session'] = 'cookie';
    const csrf = csrfToken();
    if (csrf && (opts.method ?? 'GET') !== 'GET') headers['x-csrf-token'] = csrf;
  }
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  if (opts.org && orgId) headers['x-org-id'] = orgId;
  return headers;
}

/**
 * A route answering `text/event-stream` (the AI co-pilot): the open Response, whose body the caller
 * reads as it arrives. A refusal before the stream starts comes back as the usual error envelope.
 */
export async function apiStream(path: string, opts: RequestOptions = {}): Promise<Response> {
  const { session } = useSession.getState();
  let res: Response;
  try {
    res = await fetch(`${opts.baseUrl ?? session?.baseUrl ?? ''}${path}`, {
      method: opts.method ?? 'POST',
      headers: requestHeaders(opts, 'text/event-stream'),
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      signal: opts.signal,
    });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    useConnection.getState().setOnline(false);
    throw new NetworkError('The control plane cannot be reached.');
  }
  useConnection.getState().setOnline(true);
  if (res.ok && res.headers.get('content-type')?.startsWith('text/event-stream')) return res;
  const body = (await res.json().catch(() => ({}))) as { error?: { code: string; message: string; details?: unknown; request_id?: string } };
  if (res.status === 401 && session && opts.token === undefined) useSession.getState().setSignedOut();
  throw new ApiRequestError(res.status, body.error?.code ?? 'INTERNAL_ERROR', body.error?.message ?? `HTTP ${res.status}`, body.error?.request_id ?? res.headers.get('x-request-id'), body.error?.details);
}

/** The one way the console talks to the control plane: REST with the `{success, data}` envelope. */
export async function api<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  const { session } = useSession.getState();
  const base = opts.baseUrl ?? session?.baseUrl ?? '';
  const headers = requestHeaders(opts, 'application/json');
  let res: Response;
  try {
    res = await fetch(`${base}${path}`, {
      method: opts.method ?? 'GET',
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      signal: opts.signal,
    });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    useConnection.getState().setOnline(false);
    throw new NetworkError('The control plane cannot be reached. Showing the last-known state.');
  }
  useConnection.getState().setOnline(true);
  const requestId = res.headers.get('x-request-id');
  if (res.status === 204) return undefined as T;
  let body: { success?: boolean; data?: unknown; error?: { code: string; message: string; details?: unknown; request_id?: string } };
  try {
    body = (await res.json()) as typeof body;
  } catch {
    throw new ApiRequestError(res.status, 'INTERNAL_ERROR', `Unexpected answer (HTTP ${res.status}).`, requestId);
  }
  if (!res.ok || !body.success) {
    const e = body.error;
    // A 401 on the session's own credential (token or cookie) means it ended; not on explicit tokens (sign-in forms).
    if (res.status === 401 && session && opts.token === undefined) useSession.getState().setSignedOut();
    throw new ApiRequestError(res.status, e?.code ?? 'INTERNAL_ERROR', e?.message ?? `HTTP ${res.status}`, e?.request_id ?? requestId, e?.details);
  }
  return body.data as T;
}

/** The absolute URL of an API path on the current control plane (links, downloads, OAuth). */
export function apiUrl(path: string): string {
  const base = useSession.getState().session?.baseUrl || window.location.origin;
  return `${base}${path}`;
}
