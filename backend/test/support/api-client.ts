/** A tiny fetch wrapper for tests: JSON in, status + parsed envelope out. */
export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export interface RequestOptions {
  token?: string | undefined;
  orgId?: string | undefined;
  headers?: Record<string, string>;
  rawBody?: string;
}

export function apiClient(baseUrl: string) {
  async function request<T = any>(method: string, path: string, body?: unknown, opts: RequestOptions = {}): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    if (opts.orgId) headers['x-org-id'] = opts.orgId;
    let payload: string | undefined;
    if (opts.rawBody !== undefined) payload = opts.rawBody;
    else if (body !== undefined) payload = JSON.stringify(body);
    if (payload !== undefined) headers['content-type'] ??= 'application/json';
    const res = await fetch(`${baseUrl}${path}`, { method, headers, body: payload, redirect: 'manual' });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      /* not JSON: keep the text */
    }
    return { status: res.status, headers: res.headers, body: parsed as T };
  }
  return {
    request,
    get: <T = any>(path: string, opts?: RequestOptions) => request<T>('GET', path, undefined, opts),
    post: <T = any>(path: string, body?: unknown, opts?: RequestOptions) => request<T>('POST', path, body, opts),
    patch: <T = any>(path: string, body?: unknown, opts?: RequestOptions) => request<T>('PATCH', path, body, opts),
    put: <T = any>(path: string, body?: unknown, opts?: RequestOptions) => request<T>('PUT', path, body, opts),
    delete: <T = any>(path: string, opts?: RequestOptions) => request<T>('DELETE', path, undefined, opts),
  };
}

export type ApiClient = ReturnType<typeof apiClient>;

let counter = 0;
export function uniqueEmail(tag = 'user'): string {
  counter += 1;
  return `${tag}-${Date.now().toString(36)}-${counter}-${Math.random().toString(36).slice(2, 6)}@example.test`;
}

export interface Account {
  token: string;
  userId: string;
  email: string;
  orgId: string;
}

export async function registerAccount(api: ApiClient, tag = 'user'): Promise<Account> {
  const email = uniqueEmail(tag);
  const res = await api.post('/api/v1/auth/register', { email, password: 'correct horse battery', name: tag });
  if (res.status !== 201) throw new Error(`register failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { token: res.body.data.token, userId: res.body.data.user.id, email, orgId: res.body.data.org.id };
}

/** Adds `member` to `owner`'s organisation with `role`, through the real invite flow. */
export async function addMember(api: ApiClient, owner: Account, member: Account, role: string): Promise<void> {
  const invite = await api.post(`/api/v1/orgs/${owner.orgId}/invites`, { email: member.email, role }, { token: owner.token });
  if (invite.status !== 201) throw new Error(`invite failed: ${invite.status} ${JSON.stringify(invite.body)}`);
  const accepted = await api.post(`/api/v1/invites/${invite.body.data.token}/accept`, undefined, { token: member.token });
  if (accepted.status !== 200) throw new Error(`accept failed: ${accepted.status} ${JSON.stringify(accepted.body)}`);
}
