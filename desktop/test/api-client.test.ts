import { contracts } from '@syntra/shared';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { call } from '../src/renderer/lib/api-client.js';
import { useSession } from '../src/renderer/lib/session.js';


interface Sent {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
}

function answer(data: unknown, status = 200) {
  const sent: Sent[] = [];
  vi.stubGlobal('fetch', async (url: string, init: { method: string; headers: Record<string, string>; body?: string }) => {
    sent.push({ url, method: init.method, headers: init.headers, body: init.body });
    return new Response(JSON.stringify({ success: true, data }), { status, headers: { 'content-type': 'application/json' } });
  });
  return sent;
}

describe('the console API client', () => {
  beforeEach(() => {
    // The web console's transport reads the CSRF cookie beside the session cookie.
    vi.stubGlobal('document', { cookie: 'syntra_csrf=csrf-1' });
    useSession.setState({ status: 'signed_in', session: { baseUrl: 'http://cp.test', token: null, accountId: 'a' }, orgId: '7d1f4c2e-0a4b-4b8e-9c55-1d2b3c4d5e6f' });
  });
  afterEach(() => vi.unstubAllGlobals());

  it("sends the contract's method and path, the session kind, and the CSRF header on a change", async () => {
    const sent = answer({ ok: true });
    const result = await call(contracts.deleteOrgsByOrgIdMembersByUserId, { params: { orgId: 'o 1', userId: 'u1' } });
    expect(result).toEqual({ ok: true });
    expect(sent[0]).toMatchObject({ url: 'http://cp.test/api/v1/orgs/o%201/members/u1', method: 'DELETE' });
    expect(sent[0]!.headers['x-csrf-token']).toBe('csrf-1');
    expect(sent[0]!.headers['x-syntra-session']).toBe('cookie');

  });

  it('sends X-Org-Id for collection routes only, as their contract says', async () => {
    const sent = answer([]);
    await call(contracts.getProjects, {});
    expect(sent[0]!.headers['x-org-id']).toBe('7d1f4c2e-0a4b-4b8e-9c55-1d2b3c4d5e6f');
    const second = answer({ ok: true });
    await call(contracts.deleteTokensById, { params: { id: 't1' } });
    expect(second[0]!.headers['x-org-id']).toBeUndefined();
  });

  it('refuses, in tests and development, an answer that does not match the contract', async () => {
    answer({ ok: 'yes' });
    await expect(call(contracts.deleteTokensById, { params: { id: 't1' } })).rejects.toThrow(/DELETE \/api\/v1\/tokens\/:id: the answer does not match its contract/);
  });
});
