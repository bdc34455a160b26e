import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, apiClient, registerAccount, type ApiClient } from '../support/api-client.js';
import { startTestEnv, type TestEnv } from '../support/test-env.js';

let env: TestEnv;
let api: ApiClient;

beforeAll(async () => {
  env = await startTestEnv();
  api = apiClient(env.url);
});
afterAll(() => env.close());

async function serviceOf(token: string, orgId: string) {
  const [server] = await env.db('servers').insert({ org_id: orgId, name: `srv-${Date.now()}`, agent_token_hash: 'f'.repeat(64), status: 'online' }).returning('id');
  const project = await api.post('/api/v1/projects', { name: `P${Date.now()}`, git_repo_url: 'https://github.com/acme/app.git' }, { token, orgId });
  const service = await api.post(`/api/v1/projects/${project.body.data.id}/services`, { name: 'web', server_id: server!.id }, { token });
  return service.body.data.id as string;
}

describe('client keys (the DSN)', () => {
  it('a new service has one key whose DSN carries PUBLIC_URL and a numeric project ref', async () => {
    const owner = await registerAccount(api, 'keys');
    const serviceId = await serviceOf(owner.token, owner.orgId);
    const list = await api.get(`/api/v1/services/${serviceId}/keys`, { token: owner.token });
    expect(list.status).toBe(200);
    expect(list.body.data.items).toHaveLength(1);
    const key = list.body.data.items[0];
    expect(key.public_key).toMatch(/^[0-9a-f]{32}$/);
    const host = new URL(env.url).host;
    expect(key.dsn).toMatch(new RegExp(`^http://${key.public_key}@${host.replace('.', '\\.')}/\\d+$`));
    expect(key.revoked_at).toBeNull();

    const intake = await api.get(`/api/v1/services/${serviceId}/intake`, { token: owner.token });
    expect(key.dsn.endsWith(`/${intake.body.data.project_ref}`)).toBe(true);
    expect(intake.body.data.allowed_origins).toBeNull();
  });

  it('developers add and revoke keys, viewers only read; revoked keys stay listed and stop resolving', async () => {
    const owner = await registerAccount(api, 'keys2');
    const serviceId = await serviceOf(owner.token, owner.orgId);
    const viewer = await registerAccount(api, 'keys-viewer');
    const developer = await registerAccount(api, 'keys-dev');
    await addMember(api, owner, viewer, 'viewer');
    await addMember(api, owner, developer, 'developer');

    expect((await api.get(`/api/v1/services/${serviceId}/keys`, { token: viewer.token })).status).toBe(200);
    expect((await api.post(`/api/v1/services/${serviceId}/keys`, {}, { token: viewer.token })).status).toBe(403);
    const added = await api.post(`/api/v1/services/${serviceId}/keys`, {}, { token: developer.token });
    expect(added.status).toBe(201);
    const resolved = await env.deps.services.clientKeys.resolve(added.body.data.public_key);
    expect(resolved).toMatchObject({ serviceId, orgId: owner.orgId, revoked: false });

    const revoked = await api.delete(`/api/v1/services/${serviceId}/keys/${added.body.data.id}`, { token: developer.token });
    expect(revoked.status).toBe(200);
    expect(revoked.body.data.revoked_at).not.toBeNull();
    // The revoking process drops its cache entry at once.
    expect((await env.deps.services.clientKeys.resolve(added.body.data.public_key))?.revoked).toBe(true);
    const list = await api.get(`/api/v1/services/${serviceId}/keys`, { token: viewer.token });
    expect(list.body.data.items).toHaveLength(2);
  });

  it("another organisation's service keys are 404", async () => {
    const owner = await registerAccount(api, 'keys3');
    const other = await registerAccount(api, 'keys4');
    const serviceId = await serviceOf(owner.token, owner.orgId);
    expect((await api.get(`/api/v1/services/${serviceId}/keys`, { token: other.token, orgId: other.orgId })).status).toBe(404);
  });
});
