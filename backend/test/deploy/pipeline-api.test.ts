import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, addMember, registerAccount, type Account, type ApiClient } from '../support/api-client.js';
import { startTestEnv, type TestEnv } from '../support/test-env.js';
import { createProjectAndService, insertServer, RecordingGateway, signGithub } from './support.js';

const SECRET = 'webhook-secret-for-tests';
let env: TestEnv;
let api: ApiClient;
let owner: Account;
let viewer: Account;
let server: { id: string; token: string };
const gateway = new RecordingGateway();

beforeAll(async () => {
  env = await startTestEnv({ GITHUB_WEBHOOK_SECRET: SECRET }, { services: { agentGateway: gateway } });
  api = apiClient(env.url);
  owner = await registerAccount(api, 'owner');
  viewer = await registerAccount(api, 'viewer');
  await addMember(api, owner, viewer, 'viewer');
  server = await insertServer(env, owner.orgId);
});
afterAll(async () => {
  await env.deps.services.deployments.queue.close();
  await env.close();
});

describe('projects and services', () => {
  it('creates, lists, updates and deletes projects with per-org unique slugs', async () => {
    const a = await api.post('/api/v1/projects', { name: 'Shop', slug: 'shop', git_repo_url: 'https://github.com/acme/shop.git' }, { token: owner.token });
    expect(a.status).toBe(201);
    expect(a.body.data).toMatchObject({ slug: 'shop', git_branch: 'main' });
    const dup = await api.post('/api/v1/projects', { name: 'Shop 2', slug: 'shop' }, { token: owner.token });
    expect(dup.status).toBe(409);
    const other = await registerAccount(api, 'other');
    expect((await api.post('/api/v1/projects', { name: 'Shop', slug: 'shop' }, { token: other.token })).status).toBe(201);
    expect((await api.get(`/api/v1/projects/${a.body.data.id}`, { token: other.token })).status).toBe(404);
    const renamed = await api.patch(`/api/v1/projects/${a.body.data.id}`, { name: 'Shop!', git_branch: 'prod' }, { token: owner.token });
    expect(renamed.body.data).toMatchObject({ name: 'Shop!', git_branch: 'prod' });
    const list = await api.get('/api/v1/projects', { token: viewer.token, orgId: owner.orgId });
    expect(list.body.data.map((p: { slug: string }) => p.slug)).toContain('shop');
    expect((await api.delete(`/api/v1/projects/${a.body.data.id}`, { token: viewer.token })).status).toBe(403);
    expect((await api.delete(`/api/v1/projects/${a.body.data.id}`, { token: owner.token })).status).toBe(200);
    expect((await api.get(`/api/v1/projects/${a.body.data.id}`, { token: owner.token })).status).toBe(404);
  });

  it('validates domains and keeps each hostname on one service across the installation', async () => {
    const { service } = await createProjectAndService(api, owner, server.id, {}, { domains: ['App.Example.com'], port: 8100, health_check: { path: '/health' } });
    expect(service).toMatchObject({ domains: ['app.example.com'], port: 8100, health_check: { path: '/health', interval_seconds: 30, timeout_seconds: 5, retries: 3 } });
    const other = await registerAccount(api, 'dom');
    const otherServer = await insertServer(env, other.orgId);
    const p = await api.post('/api/v1/projects', { name: 'X' }, { token: other.token });
    const clash = await api.post(`/api/v1/projects/${p.body.data.id}/services`, { name: 'x', server_id: otherServer.id, domains: ['app.example.com'] }, { token: other.token });
    expect(clash.status).toBe(409);
    const bad = await api.post(`/api/v1/projects/${p.body.data.id}/services`, { name: 'x', server_id: otherServer.id, domains: ['not a host'] }, { token: other.token });
    expect(bad.status).toBe(400);
    // A server of another organisation cannot host this org's service.
    const foreign = await api.post(`/api/v1/projects/${p.body.data.id}/services`, { name: 'x', server_id: server.id }, { token: other.token });
    expect(foreign.status).toBe(400);
    const moved = await api.patch(`/api/v1/services/${service.id}`, { domains: ['www.example.com'] }, { token: owner.token });
    expect(moved.body.data.domains).toEqual(['www.example.com']);
    // The owner's organisation keeps its claim on app.example.com until it releases it (issue 10).
    const stillClaimed = await api.post(`/api/v1/projects/${p.body.data.id}/services`, { name: 'x', server_id: otherServer.id, domains: ['app.example.com'] }, { token: other.token });
    expect(stillClaimed.status).toBe(409);
    const claims = await api.get('/api/v1/domains', { token: owner.token, orgId: owner.orgId });
    const claim = claims.body.data.find((c: { hostname: string }) => c.hostname === 'app.example.com');
    expect((await api.delete(`/api/v1/domains/${claim.id}`, { token: owner.token })).status).toBe(200);
    const freed = await api.post(`/api/v1/projects/${p.body.data.id}/services`, { name: 'x', server_id: otherServer.id, domains: ['app.example.com'] }, { token: other.token });
    expect(freed.status).toBe(201);
  });

  it('picks a runtime per service: process for detected builds unless asked, docker for Dockerfile and image sources', async () => {
    const { project, service } = await createProjectAndService(api, owner, server.id);
    expect(service.runtime).toBe('process');
    const onDocker = await api.patch(`/api/v1/services/${service.id}`, { runtime: 'docker', cpu_limit: '0.5', memory_limit: '256m' }, { token: owner.token });
    expect(onDocker.body.data).toMatchObject({ runtime: 'docker', cpu_limit: '0.5', memory_limit: '256m' });
    const unknown = await api.patch(`/api/v1/services/${service.id}`, { runtime: 'vm' }, { token: owner.token });
    expect(unknown.status).toBe(400);
    expect(JSON.stringify(unknown.body.error)).toContain('runtime');
    const dockerfile = await api.post(`/api/v1/projects/${project.id}/services`, { name: 'df', server_id: server.id, source_type: 'dockerfile' }, { token: owner.token });
    expect(dockerfile.body.data.runtime).toBe('docker');
    const contradiction = await api.post(`/api/v1/projects/${project.id}/services`, { name: 'df2', server_id: server.id, source_type: 'image', image_name: 'nginx', runtime: 'process' }, { token: owner.token });
    expect(contradiction.status).toBe(400);
    expect(JSON.stringify(contradiction.body.error)).toContain('dockerfile and image services run on the docker runtime');
    const backToProcess = await api.patch(`/api/v1/services/${dockerfile.body.data.id}`, { runtime: 'process' }, { token: owner.token });
    expect(backToProcess.status).toBe(400);
    // Switching a detected service to a Dockerfile source moves it to docker by itself.
    const switched = await api.patch(`/api/v1/services/${service.id}`, { runtime: 'process' }, { token: owner.token });
    expect(switched.body.data.runtime).toBe('process');
    const toDockerfile = await api.patch(`/api/v1/services/${service.id}`, { source_type: 'dockerfile' }, { token: owner.token });
    expect(toDockerfile.body.data).toMatchObject({ source_type: 'dockerfile', runtime: 'docker' });
  });
});

describe('environment variables', () => {
  it('stores values encrypted, masks them for viewers and audits keys only', async () => {
    const { service } = await createProjectAndService(api, owner, server.id);
    const put = await api.put(`/api/v1/services/${service.id}/env`, { vars: { DATABASE_URL: 'postgres://u:hunter2-secret@db/app', PORT_X: '1' } }, { token: owner.token });
    expect(put.status).toBe(200);
    expect(put.body.data).toEqual({ masked: false, vars: [{ key: 'DATABASE_URL', value: 'postgres://u:hunter2-secret@db/app' }, { key: 'PORT_X', value: '1' }] });
    const row = await env.db('services').where({ id: service.id }).first();
    expect(row!.env_vars_encrypted).toMatch(/^v1\./);
    expect(row!.env_vars_encrypted).not.toContain('hunter2');
    const asViewer = await api.get(`/api/v1/services/${service.id}/env`, { token: viewer.token });
    expect(asViewer.body.data).toEqual({ masked: true, vars: [{ key: 'DATABASE_URL', value: null }, { key: 'PORT_X', value: null }] });
    expect(JSON.stringify(asViewer.body)).not.toContain('hunter2');
    expect((await api.put(`/api/v1/services/${service.id}/env`, { vars: {} }, { token: viewer.token })).status).toBe(403);

    const patched = await api.patch(`/api/v1/services/${service.id}/env`, { set: { NEW_KEY: 'v' }, unset: ['PORT_X'] }, { token: owner.token });
    expect(patched.body.data.vars.map((v: { key: string }) => v.key)).toEqual(['DATABASE_URL', 'NEW_KEY']);
    const again = await env.db('services').where({ id: service.id }).first();
    expect(again!.env_vars_encrypted).not.toBe(row!.env_vars_encrypted); // fresh nonce per write
    const audit = await env.db('audit_log').where({ action: 'service.env_changed', target_id: service.id }).orderBy('created_at');
    expect(audit.map((a) => a.metadata)).toEqual([
      { added: ['DATABASE_URL', 'PORT_X'], removed: [], changed: [] },
      { added: ['NEW_KEY'], removed: ['PORT_X'], changed: [] },
    ]);
    expect(JSON.stringify(audit)).not.toContain('hunter2');
  });
});

describe('deploy trigger', () => {
  it('answers 503 AGENT_OFFLINE when the server is not connected, 201 queued when it is', async () => {
    const { service } = await createProjectAndService(api, owner, server.id, { git_repo_url: 'file:///nonexistent/repo.git' });
    const offline = await api.post(`/api/v1/services/${service.id}/deploy`, {}, { token: owner.token });
    expect(offline.status).toBe(503);
    expect(offline.body.error.code).toBe('AGENT_OFFLINE');
    gateway.connected.add(server.id);
    const ok = await api.post(`/api/v1/services/${service.id}/deploy`, {}, { token: owner.token });
    expect(ok.status).toBe(201);
    expect(ok.body.data).toEqual({ id: expect.any(String), status: 'queued', created_at: expect.any(String) });
    expect((await api.post(`/api/v1/services/${service.id}/deploy`, {}, { token: viewer.token })).status).toBe(403);
    const cancel = await api.post(`/api/v1/deployments/${ok.body.data.id}/cancel`, undefined, { token: owner.token });
    expect(cancel.body.data.status).toBe('cancelled');
    expect((await api.post(`/api/v1/deployments/${ok.body.data.id}/cancel`, undefined, { token: owner.token })).status).toBe(409);
    const list = await api.get(`/api/v1/services/${service.id}/deployments`, { token: viewer.token });
    expect(list.body.data.items).toEqual([expect.objectContaining({ id: ok.body.data.id, status: 'cancelled', error_message: 'Cancelled by a user' })]);
  });
});

describe('organisation-wide views', () => {
  it('lists the org’s deployments newest first across services, filtered and paged, and a server’s services', async () => {
    gateway.connected.add(server.id);
    const a = await createProjectAndService(api, owner, server.id, { git_repo_url: 'file:///nonexistent/a.git' });
    const b = await createProjectAndService(api, owner, server.id, { git_repo_url: 'file:///nonexistent/b.git' });
    const ids: string[] = [];
    for (const s of [a.service, b.service, a.service]) ids.push((await api.post(`/api/v1/services/${s.id}/deploy`, {}, { token: owner.token })).body.data.id);
    await api.post(`/api/v1/deployments/${ids[1]}/cancel`, undefined, { token: owner.token });

    const first = await api.get('/api/v1/deployments?limit=2', { token: viewer.token, orgId: owner.orgId });
    expect(first.status).toBe(200);
    expect(first.body.data.items.map((d: { id: string }) => d.id)).toEqual([ids[2], ids[1]]);
    expect(first.body.data.items[1]).toMatchObject({ service_name: b.service.name, project_id: b.project.id, project_name: b.project.name, server_id: server.id, is_current: false });
    const rest = await api.get(`/api/v1/deployments?limit=2&cursor=${first.body.data.next_cursor}`, { token: viewer.token, orgId: owner.orgId });
    expect(rest.body.data.items[0].id).toBe(ids[0]);
    const cancelled = await api.get(`/api/v1/deployments?status=cancelled&project_id=${b.project.id}`, { token: viewer.token, orgId: owner.orgId });
    expect(cancelled.body.data.items.map((d: { id: string }) => d.id)).toEqual([ids[1]]);
    // Services whose newest deployment is cancelled: only b (a's newest is queued).
    const latestCancelled = await api.get(`/api/v1/deployments?latest=true&status=cancelled`, { token: viewer.token, orgId: owner.orgId });
    expect(latestCancelled.body.data.items.filter((d: { service_id: string }) => [a.service.id, b.service.id].includes(d.service_id)).map((d: { id: string }) => d.id)).toEqual([ids[1]]);
    const latestOfA = await api.get(`/api/v1/deployments?latest=true&project_id=${a.project.id}`, { token: viewer.token, orgId: owner.orgId });
    expect(latestOfA.body.data.items.map((d: { id: string }) => d.id)).toEqual([ids[2]]);
    const bad = await api.get('/api/v1/deployments?status=exploded', { token: viewer.token, orgId: owner.orgId });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/status/);

    const onServer = await api.get(`/api/v1/servers/${server.id}/services`, { token: viewer.token });
    expect(onServer.status).toBe(200);
    const names = onServer.body.data.map((s: { id: string; project_name: string }) => [s.id, s.project_name]);
    expect(names).toEqual(expect.arrayContaining([[a.service.id, a.project.name], [b.service.id, b.project.name]]));
  });
});

describe('GitHub webhook', () => {
  const push = (url: string, branch: string, sha: string) => JSON.stringify({ ref: `refs/heads/${branch}`, after: sha, head_commit: { id: sha, message: 'Ship it' }, repository: { clone_url: url, html_url: url.replace(/\.git$/, '') } });
  const send = (body: string, headers: Record<string, string>) => api.request('POST', '/api/v1/webhooks/github', undefined, { rawBody: body, headers });

  it('rejects unsigned or wrongly signed deliveries with 401 and queues nothing', async () => {
    const body = push('https://github.com/acme/hooked.git', 'main', 'a'.repeat(40));
    const before = await env.db('deployments').count({ n: '*' }).first();
    expect((await send(body, { 'x-github-event': 'push', 'x-github-delivery': 'd-unsigned' })).status).toBe(401);
    expect((await send(body, { 'x-github-event': 'push', 'x-github-delivery': 'd-wrong', 'x-hub-signature-256': signGithub('other', body) })).status).toBe(401);
    // Signed, then altered by one byte.
    const tampered = body.replace('Ship', 'Shiq');
    expect((await send(tampered, { 'x-github-event': 'push', 'x-github-delivery': 'd-tamper', 'x-hub-signature-256': signGithub(SECRET, body) })).status).toBe(401);
    expect((await env.db('deployments').count({ n: '*' }).first())!.n).toBe(before!.n);
    const form = `payload=${encodeURIComponent(body)}`;
    const formRes = await send(form, { 'content-type': 'application/x-www-form-urlencoded', 'x-github-event': 'push', 'x-github-delivery': 'd-form', 'x-hub-signature-256': signGithub(SECRET, form) });
    expect(formRes.status).toBe(400);
    expect(formRes.body.error.message).toBe('Set the GitHub webhook content type to application/json');
  });

  it('answers ping, deploys matching auto-deploy services on push, ignores a repeated delivery', async () => {
    gateway.connected.add(server.id);
    const ping = JSON.stringify({ zen: 'Keep it logically awesome.', hook_id: 1 });
    const pong = await send(ping, { 'x-github-event': 'ping', 'x-github-delivery': 'd-ping', 'x-hub-signature-256': signGithub(SECRET, ping) });
    expect(pong.status).toBe(200);
    expect(pong.body.data).toMatchObject({ event: 'ping', duplicate: false });

    const { service: match } = await createProjectAndService(api, owner, server.id, { git_repo_url: 'git@github.com:Acme/Hooked.git' });
    const { service: manual } = await createProjectAndService(api, owner, server.id, { git_repo_url: 'https://github.com/acme/hooked' }, { auto_deploy: false });
    const { service: otherBranch } = await createProjectAndService(api, owner, server.id, { git_repo_url: 'https://github.com/acme/hooked' }, { git_branch: 'staging' });
    const body = push('https://github.com/acme/hooked.git', 'main', 'b'.repeat(40));
    const headers = { 'x-github-event': 'push', 'x-github-delivery': 'd-push-1', 'x-hub-signature-256': signGithub(SECRET, body) };
    const res = await send(body, headers);
    expect(res.status).toBe(200);
    expect(res.body.data.deployments).toEqual([{ service_id: match.id, deployment_id: expect.any(String), skipped: null }]);
    const d = await env.db('deployments').where({ id: res.body.data.deployments[0].deployment_id }).first();
    expect(d).toMatchObject({ trigger_type: 'git_push', git_commit_sha: 'b'.repeat(40), git_commit_message: 'Ship it', status: 'queued' });
    const again = await send(body, headers);
    expect(again.body.data).toMatchObject({ duplicate: true, deployments: [] });
    for (const s of [manual, otherBranch]) expect(await env.db('deployments').where({ service_id: s.id })).toEqual([]);
    expect(await env.db('deployments').where({ service_id: match.id })).toHaveLength(1);
  });

  it("signs only for its own tenant: the installation secret deploys the admin org's services, a project's secret that project's (issue 10)", async () => {
    const tenant = await registerAccount(api, 'tenant');
    const tenantServer = await insertServer(env, tenant.orgId, 'tenant-web');
    gateway.connected.add(tenantServer.id);
    const repo = 'https://github.com/acme/shared-repo';
    const { service: adminService } = await createProjectAndService(api, owner, server.id, { git_repo_url: repo });
    const { project: tenantProject, service: tenantService } = await createProjectAndService(api, tenant, tenantServer.id, { git_repo_url: repo });
    const body = push(`${repo}.git`, 'main', 'c'.repeat(40));
    let n = 0;
    const deliver = (path: string, secret: string) =>
      api.request('POST', path, undefined, { rawBody: body, headers: { 'x-github-event': 'push', 'x-github-delivery': `d-tenant-${(n += 1)}`, 'x-hub-signature-256': signGithub(secret, body) } });
    const deployed = (res: { body: { data: { deployments: Array<{ service_id: string }> } } }) => res.body.data.deployments.map((d) => d.service_id);

    // The installation-wide secret is the operator's: a tenant who learnt it reaches none of the tenants' services.
    expect(deployed(await deliver('/api/v1/webhooks/github', SECRET))).toEqual([adminService.id]);

    const tenantHook = `/api/v1/webhooks/github/${tenantProject.id}`;
    expect((await deliver(tenantHook, SECRET)).status).toBe(401); // no secret of its own yet
    const hook = await api.post(`/api/v1/projects/${tenantProject.id}/webhook`, undefined, { token: tenant.token });
    expect(hook.status).toBe(200);
    expect(hook.body.data).toMatchObject({ url: `${env.url}${tenantHook}`, content_type: 'application/json', events: ['push'] });
    expect(deployed(await deliver(tenantHook, hook.body.data.secret))).toEqual([tenantService.id]);
    // A project's secret signs for nothing else: not the installation route, not another project.
    expect((await deliver('/api/v1/webhooks/github', hook.body.data.secret)).status).toBe(401);
    const { project: adminProject } = await createProjectAndService(api, owner, server.id, { git_repo_url: repo });
    expect((await deliver(`/api/v1/webhooks/github/${adminProject.id}`, hook.body.data.secret)).status).toBe(401);
    // Rotating replaces the secret.
    const rotated = await api.post(`/api/v1/projects/${tenantProject.id}/webhook`, undefined, { token: tenant.token });
    expect((await deliver(tenantHook, hook.body.data.secret)).status).toBe(401);
    expect((await deliver(tenantHook, rotated.body.data.secret)).status).toBe(200);
    expect(JSON.stringify(await env.db('projects').where({ id: tenantProject.id }).first())).not.toContain(rotated.body.data.secret);
  });
});

describe('artifact downloads', () => {
  it('serve an artifact only to the agent of a server its deployment was sent to, with its digest', async () => {
    const { service } = await createProjectAndService(api, owner, server.id);
    const sameOrg = await insertServer(env, owner.orgId, 'web-2');
    const other = await registerAccount(api, 'artifact-other');
    const otherOrg = await insertServer(env, other.orgId, 'theirs');
    const fs = await import('node:fs');
    const path = await import('node:path');
    const file = path.join(env.config.dataDir, `artifact-test-${service.id}.tar.gz`);
    fs.writeFileSync(file, 'not really a tarball');
    const artifact = await env.deps.services.artifacts.putTarball({ orgId: owner.orgId, serviceId: service.id }, file, 'npm start');
    const get = (token?: string) => fetch(`${env.url}/api/v1/artifacts/${artifact.id}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    expect((await get()).status).toBe(401);
    expect((await get('syn_a_wrong-token-value')).status).toBe(401);
    expect((await get(owner.token)).status).toBe(401); // a user session is not an agent token
    // Not sent anywhere yet: not even the service's own server may fetch it.
    expect((await get(server.token)).status).toBe(404);
    await env.db('deployments').insert({ service_id: service.id, server_id: server.id, status: 'running', artifact_id: artifact.id });
    expect((await get(sameOrg.token)).status).toBe(404);
    expect((await get(otherOrg.token)).status).toBe(404);
    const ok = await get(server.token);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('x-artifact-digest')).toBe(artifact.digest);
    expect(await ok.text()).toBe('not really a tarball');
  });
});

describe('artifact uploads from the agent that builds', () => {
  const sha = (b: Buffer | string) => `sha256:${createHash('sha256').update(b).digest('hex')}`;
  const put = (deploymentId: string, body: Buffer | string, headers: Record<string, string>) =>
    fetch(`${env.url}/api/v1/artifacts/uploads/${deploymentId}`, { method: 'PUT', body, headers: { 'content-type': 'application/octet-stream', ...headers } });

  it('accepts the build’s own server while building, verifies the sha256, and refuses everything else', async () => {
    const { service } = await createProjectAndService(api, owner, server.id);
    const sameOrg = await insertServer(env, owner.orgId, 'bystander');
    const [d] = await env.db('deployments').insert({ service_id: service.id, server_id: server.id, status: 'building' }).returning('id');
    const body = Buffer.from('tarball bytes');
    const good = { authorization: `Bearer ${server.token}`, 'x-artifact-digest': sha(body), 'x-artifact-kind': 'tarball' };

    expect((await put(d!.id, body, { ...good, authorization: '' })).status).toBe(401);
    expect((await put(d!.id, body, { ...good, authorization: `Bearer ${sameOrg.token}` })).status).toBe(404);
    const badHeader = await put(d!.id, body, { ...good, 'x-artifact-digest': 'md5:abc' });
    expect(badHeader.status).toBe(400);
    expect(((await badHeader.json()) as { error: { message: string } }).error.message).toContain('x-artifact-digest');
    const mismatch = await put(d!.id, body, { ...good, 'x-artifact-digest': sha('something else') });
    expect(mismatch.status).toBe(400);
    expect(((await mismatch.json()) as { error: { message: string } }).error.message).toContain('not the announced');
    expect((await put(d!.id, body, { ...good, 'x-artifact-kind': 'image' })).status).toBe(400); // an image names its image

    const ok = await put(d!.id, body, good);
    expect(ok.status).toBe(201);
    const { data } = (await ok.json()) as { data: { artifact_id: string; digest: string; size_bytes: number } };
    expect(data).toMatchObject({ digest: sha(body), size_bytes: body.length });
    const row = await env.db('artifacts').where({ id: data.artifact_id }).first();
    expect(row).toMatchObject({ deployment_id: d!.id, service_id: service.id, org_id: owner.orgId, kind: 'tarball' });
    // A retried upload of the same build is the same artifact.
    const again = (await (await put(d!.id, body, good)).json()) as { data: { artifact_id: string } };
    expect(again.data.artifact_id).toBe(data.artifact_id);

    await env.db('deployments').where({ id: d!.id }).update({ status: 'running' });
    expect((await put(d!.id, body, good)).status).toBe(409);
  });

  it('answers 413 past SYNTRA_ARTIFACT_MAX_MB', async () => {
    const small = await startTestEnv({ SYNTRA_ARTIFACT_MAX_MB: '1' });
    try {
      const o = await registerAccount(apiClient(small.url), 'limit');
      const srv = await insertServer(small, o.orgId);
      const { service } = await createProjectAndService(apiClient(small.url), o, srv.id);
      const [d] = await small.db('deployments').insert({ service_id: service.id, server_id: srv.id, status: 'building' }).returning('id');
      const big = Buffer.alloc(2 * 1024 * 1024, 1);
      const res = await fetch(`${small.url}/api/v1/artifacts/uploads/${d!.id}`, { method: 'PUT', body: big, headers: { authorization: `Bearer ${srv.token}`, 'content-type': 'application/octet-stream', 'x-artifact-digest': sha(big), 'x-artifact-kind': 'tarball' } });
      expect(res.status).toBe(413);
      expect(await small.db('artifacts').where({ deployment_id: d!.id })).toEqual([]);
    } finally {
      await small.deps.services.deployments.queue.close();
      await small.close();
    }
  });
});
