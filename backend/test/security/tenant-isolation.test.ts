import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, apiClient, registerAccount, type Account, type ApiClient } from '../support/api-client.js';
import { startTestEnv, type TestEnv } from '../support/test-env.js';
import { createProjectAndService, insertServer, RecordingGateway } from '../deploy/support.js';

/**
 * The attack of issue 10, as a second organisation's user on an installation whose admin
 * organisation belongs to the first user: every road to the control-plane host is a 4xx.
 */
let env: TestEnv;
let api: ApiClient;
let admin: Account;
let adminDev: Account;
let tenant: Account;
let localServer: { id: string };
let adminService: { id: string };
const gateway = new RecordingGateway();

beforeAll(async () => {
  env = await startTestEnv({}, { services: { agentGateway: gateway } });
  api = apiClient(env.url);
  admin = await registerAccount(api, 'first');
  tenant = await registerAccount(api, 'tenant');
  adminDev = await registerAccount(api, 'admindev');
  await addMember(api, admin, adminDev, 'developer');
  const local = await env.deps.services.servers.registerLocal('control plane (this machine)');
  localServer = local!.server;
  const own = await createProjectAndService(api, admin, localServer.id, { git_repo_url: 'file:///srv/git/admin-app.git' });
  adminService = own.service;
});
afterAll(async () => {
  await env.deps.services.deployments.queue.close();
  await env.close();
});

const createProject = (who: Account, git_repo_url: string) => api.post('/api/v1/projects', { name: 'Attack', git_repo_url }, { token: who.token, orgId: who.orgId });

describe('a second organisation cannot reach the control-plane host', () => {
  it('the admin org is the first user\'s; the fetch policy says so', async () => {
    expect(await env.deps.services.orgs.adminOrgId()).toBe(admin.orgId);
    expect(await env.deps.services.orgs.isAdminOrg(tenant.orgId)).toBe(false);
    const tenantPolicy = await env.deps.services.projects.gitFetchPolicy(tenant.orgId);
    expect(tenantPolicy).toMatchObject({ allow_local: false, allow_private: false });
    expect(tenantPolicy.denied_addresses).toEqual(expect.arrayContaining(['127.0.0.1']));
    // The admin organisation owns this machine already: its policy lists no addresses of it.
    expect(await env.deps.services.projects.gitFetchPolicy(admin.orgId)).toEqual({ allow_local: true, allow_private: false, denied_addresses: [] });
  });

  it('refuses local, loopback, metadata and plain-http git URLs with a 400 naming git_repo_url', async () => {
    const port = new URL(env.url).port;
    const mirror = path.join(env.config.dataDir, 'git-cache', `${adminService.id}.git`);
    const attacks = [
      'file:///etc',
      '/srv/git/admin-app.git',
      `file://${mirror}`,
      mirror,
      `http://127.0.0.1:${port}/x.git`,
      `https://127.0.0.1:${port}/x.git`,
      'https://169.254.169.254/x.git',
      'https://[::ffff:169.254.169.254]/latest/meta-data.git',
      'https://localhost/x.git',
      'git@localhost:x.git',
      'ssh://git@10.0.0.8/x.git',
      'git://example.com/x.git',
      'ext::sh -c id',
      '--upload-pack=touch /tmp/pwned',
    ];
    for (const url of attacks) {
      const res = await createProject(tenant, url);
      expect({ url, status: res.status }).toEqual({ url, status: 400 });
      expect(res.body.error.code).toBe('VALIDATION_ERROR');
      expect(JSON.stringify(res.body.error)).toContain('git_repo_url');
    }
    const file = await createProject(tenant, 'file:///etc');
    expect(file.body.error.message).toMatch(/admin organisation/);
    const metadata = await createProject(tenant, 'https://169.254.169.254/x.git');
    expect(metadata.body.error.message).toMatch(/link-local/);
    const loopbackName = await createProject(tenant, 'https://localhost/x.git');
    expect(loopbackName.body.error.message).toMatch(/localhost resolves to/);
  });

  it('refuses the same URLs when a project is updated to them, and accepts a public remote', async () => {
    const ok = await createProject(tenant, 'https://github.com/acme/app.git');
    expect(ok.status).toBe(201);
    for (const git_repo_url of ['file:///etc', 'https://localhost/x.git']) {
      const res = await api.patch(`/api/v1/projects/${ok.body.data.id}`, { git_repo_url }, { token: tenant.token });
      expect({ git_repo_url, status: res.status }).toEqual({ git_repo_url, status: 400 });
    }
    expect((await api.get(`/api/v1/projects/${ok.body.data.id}`, { token: tenant.token })).body.data.git_repo_url).toBe('https://github.com/acme/app.git');
  });

  it('refuses a deployment whose stored URL predates the rules', async () => {
    const server = await insertServer(env, tenant.orgId);
    gateway.connected.add(server.id);
    const { project, service } = await createProjectAndService(api, tenant, server.id, { git_repo_url: 'https://github.com/acme/app.git' });
    await env.db('projects').where({ id: project.id }).update({ git_repo_url: `file://${path.join(env.config.dataDir, 'git-cache', `${adminService.id}.git`)}` });
    const res = await api.post(`/api/v1/services/${service.id}/deploy`, {}, { token: tenant.token });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/git_repo_url: .*admin organisation/);
    expect(await env.db('deployments').where({ service_id: service.id })).toEqual([]);
    const badRef = await api.post(`/api/v1/services/${service.id}/deploy`, { git_ref: '--upload-pack=id' }, { token: tenant.token });
    expect(badRef.status).toBe(400);
  });

  it('cannot see the local server, place a service on it or open a terminal there', async () => {
    const list = await api.get('/api/v1/servers', { token: tenant.token });
    expect(list.body.data.items.map((s: { id: string }) => s.id)).not.toContain(localServer.id);
    expect((await api.get(`/api/v1/servers/${localServer.id}`, { token: tenant.token })).status).toBe(404);
    const p = await createProject(tenant, 'https://github.com/acme/app.git');
    const placed = await api.post(`/api/v1/projects/${p.body.data.id}/services`, { name: 'web', server_id: localServer.id }, { token: tenant.token });
    expect(placed.status).toBe(400);
    expect(placed.body.error.message).toMatch(/server_id/);
    const terminal = await api.post(`/api/v1/servers/${localServer.id}/terminal`, { target: { kind: 'host' }, cols: 80, rows: 24 }, { token: tenant.token });
    expect(terminal.status).toBe(404);
    // Nothing of the admin organisation reads through either.
    expect((await api.get(`/api/v1/services/${adminService.id}`, { token: tenant.token })).status).toBe(404);
    expect((await api.get('/api/v1/projects', { token: tenant.token, orgId: admin.orgId })).status).toBe(404);
  });

  it('in the admin org, host terminals on the local server are for owners and admins only', async () => {
    const asDev = await api.post(`/api/v1/servers/${localServer.id}/terminal`, { target: { kind: 'host' }, cols: 80, rows: 24 }, { token: adminDev.token, orgId: admin.orgId });
    expect(asDev.status).toBe(403);
    expect(asDev.body.error.message).toMatch(/owners and admins/);
    // The owner passes the checks; the local agent is not running in this test, so it is offline.
    const asOwner = await api.post(`/api/v1/servers/${localServer.id}/terminal`, { target: { kind: 'host' }, cols: 80, rows: 24 }, { token: admin.token });
    expect(asOwner.body.error.code).toBe('AGENT_OFFLINE');
  });

  it("keeps the admin org's own file URL working", async () => {
    const res = await createProject(admin, 'file:///srv/git/another.git');
    expect(res.status).toBe(201);
    expect(res.body.data.git_repo_url).toBe('file:///srv/git/another.git');
    gateway.connected.add(localServer.id);
    const deploy = await api.post(`/api/v1/services/${adminService.id}/deploy`, {}, { token: admin.token });
    expect(deploy.status).toBe(201);
  });
});

describe('with SYNTRA_GIT_ALLOW_PRIVATE=true', () => {
  let privEnv: TestEnv;
  let admin: Account;
  let user: Account;
  let client: ApiClient;
  beforeAll(async () => {
    privEnv = await startTestEnv({ SYNTRA_GIT_ALLOW_PRIVATE: 'true' });
    client = apiClient(privEnv.url);
    admin = await registerAccount(client, 'first');
    user = await registerAccount(client, 'tenant');
  });
  afterAll(async () => {
    await privEnv.deps.services.deployments.queue.close();
    await privEnv.close();
  });

  it('private networks are allowed, the control plane itself and local paths still are not', async () => {
    const post = (git_repo_url: string) => client.post('/api/v1/projects', { name: 'Lan', git_repo_url }, { token: user.token });
    expect((await post('https://10.20.30.40/team/app.git')).status).toBe(201);
    expect((await post('git@192.168.1.10:team/app.git')).status).toBe(201);
    for (const url of [`https://127.0.0.1:${new URL(privEnv.url).port}/x.git`, 'https://localhost/x.git', 'https://127.0.0.2/x.git', 'file:///etc']) {
      const res = await post(url);
      expect({ url, status: res.status }).toEqual({ url, status: 400 });
    }
    expect((await post('https://localhost/x.git')).body.error.message).toMatch(/control plane/);
    // The operator's own organisation may keep a git server beside Syntra.
    const first = await client.post('/api/v1/projects', { name: 'Beside', git_repo_url: 'ssh://git@127.0.0.1:2222/srv/app.git' }, { token: admin.token });
    expect(first.status).toBe(201);
  });
});
