import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { pushAndFetch, type RepoCast, startRepoCast } from './repo-agent.js';

let cast: RepoCast;

beforeAll(async () => {
  cast = await startRepoCast({
    'requirements.txt': 'flask==3.0.0\ngunicorn==22.0.0\n',
    'app.py': 'from flask import Flask\napp = Flask(__name__)\n',
    '.env': 'STRIPE_KEY=sk_live_never_send_this\n',
  });
}, 60_000);
afterAll(() => cast.close());

const GOOD = {
  dockerfile: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\nUSER 1000\nCMD ["gunicorn", "-b", "0.0.0.0:8000", "app:app"]\n',
  dockerignore: '.git\n.env\n__pycache__\n',
  explanation: 'A Flask app served by gunicorn.',
};

describe('Dockerfile generation: the repository read from the git mirror on the agent, the model through the Messages API stand-in', () => {
  it("sends the tree and manifests (never a .env file's content) and returns the validated Dockerfile, retrying an invalid answer once", async () => {
    cast.model.requests.length = 0;
    cast.model.reply = (_req, n) =>
      n === 0
        ? { content: [{ type: 'tool_use', name: 'submit_dockerfile', input: { dockerfile: 'not a dockerfile', explanation: '' } }] }
        : { content: [{ type: 'tool_use', name: 'submit_dockerfile', input: GOOD }] };
    const res = await cast.api.post('/api/v1/ai/generate-dockerfile', { service_id: cast.serviceId }, { token: cast.owner.token, orgId: cast.owner.orgId });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.data).toMatchObject(GOOD);
    expect(res.body.data.files_seen).toEqual(expect.arrayContaining(['requirements.txt', 'package.json']));
    expect(cast.model.requests).toHaveLength(2);
    const first = cast.model.requests[0]!;
    expect(first.body.tool_choice).toEqual({ type: 'tool', name: 'submit_dockerfile' });
    const sent = cast.model.sentText();
    expect(sent).toContain('flask==3.0.0');
    expect(sent).toContain('app.py');
    expect(sent).not.toContain('sk_live_never_send_this');
    // The retry told the model what was wrong.
    expect(JSON.stringify(cast.model.requests[1]!.body.messages.at(-1))).toContain('dockerfile');
    const usage = await cast.env.db('ai_usage').where({ org_id: cast.owner.orgId, kind: 'dockerfile' });
    expect(usage).toHaveLength(2);
  });

  it('two invalid answers are a clear failure, not a 500', async () => {
    cast.model.reply = () => ({ content: [{ type: 'tool_use', name: 'submit_dockerfile', input: { dockerfile: 'nope' } }] });
    const res = await cast.api.post('/api/v1/ai/generate-dockerfile', { service_id: cast.serviceId }, { token: cast.owner.token, orgId: cast.owner.orgId });
    expect(res.status).toBe(503);
    expect(res.body.error.message).toMatch(/expected shape/);
  });

  it("another organisation's service is 404", async () => {
    const other = await (await import('../support/api-client.js')).registerAccount(cast.api, 'other');
    const res = await cast.api.post('/api/v1/ai/generate-dockerfile', { service_id: cast.serviceId }, { token: other.token, orgId: other.orgId });
    expect(res.status).toBe(404);
  });
});

describe('a saved Dockerfile is what the builder uses', () => {
  it('PUT saves it and the build frame carries it to the agent (agent/test/build/saved-dockerfile.test.ts: the agent builds it)', async () => {
    const body = { dockerfile: 'FROM python:3.12-slim\nCOPY . /app\nCMD ["python", "/app/app.py"]\n', dockerignore: '.git\n.env\n' };
    const put = await cast.api.put(`/api/v1/services/${cast.serviceId}/dockerfile`, body, { token: cast.owner.token });
    expect(put.status).toBe(200);
    expect((await cast.api.get(`/api/v1/services/${cast.serviceId}/dockerfile`, { token: cast.owner.token })).body.data).toMatchObject(body);

    const { composeBuildFrame } = await import('../../src/modules/deployments/build-frame.js');
    const svc = await cast.env.deps.services.services.context(cast.owner.orgId, cast.serviceId);
    const frame = await composeBuildFrame(
      { projects: { openDeployKey: () => '', gitFetchPolicy: async () => ({ allow_local: true, allow_private: true, denied_addresses: [] }) }, baseImages: { node: 'n', static: 's' }, publicUrl: cast.env.url, savedDockerfile: (id) => cast.env.deps.services.ai.dockerfiles.saved(id) },
      { id: crypto.randomUUID(), git_ref: null, git_commit_sha: null, git_branch: 'main' } as never,
      svc,
      null,
      crypto.randomUUID(),
    );
    expect(frame.dockerfile_inline).toEqual(body);

    expect((await cast.api.delete(`/api/v1/services/${cast.serviceId}/dockerfile`, { token: cast.owner.token })).status).toBe(200);
    expect(await cast.env.deps.services.ai.dockerfiles.saved(cast.serviceId)).toBeNull();
  });
});

describe('build detection for the service wizard: the tree read from the mirror, by the builder\'s rules', () => {
  const detection = () => cast.api.get(`/api/v1/services/${cast.serviceId}/build-detection`, { token: cast.owner.token });

  it('finds the Node app; without package.json, Procfile or index.html it says nothing was detected (the wizard then offers a Dockerfile)', async () => {
    const node = await detection();
    expect(node.status, JSON.stringify(node.body)).toBe(200);
    expect(node.body.data).toMatchObject({ state: 'detected', kind: 'node' });
    fs.rmSync(path.join(cast.repo.work, 'package.json'));
    const sha = pushAndFetch(cast, { 'Dockerfile.old': 'FROM scratch\n' }, 'a Python app only');
    const none = await detection();
    expect(none.body.data).toMatchObject({ state: 'undetected', kind: null, sha });
    expect(none.body.data.reason).toMatch(/^Could not detect how to build this source/);
    pushAndFetch(cast, { 'index.html': '<h1>hi</h1>' }, 'a static page');
    expect((await detection()).body.data).toMatchObject({ state: 'detected', kind: 'static' });
  });

  it("a saved Dockerfile is what builds use; a service whose mirror is not there yet is `unknown`; another organisation's service is 404", async () => {
    await cast.api.put(`/api/v1/services/${cast.serviceId}/dockerfile`, { dockerfile: 'FROM python:3.12-slim\n' }, { token: cast.owner.token });
    expect((await detection()).body.data).toMatchObject({ state: 'detected', kind: 'saved_dockerfile' });
    // A new service of the same project on the same server has no mirror yet: its sibling's is the same repository.
    const sibling = await cast.api.post(`/api/v1/projects/${cast.projectId}/services`, { name: 'worker', server_id: cast.serverId }, { token: cast.owner.token });
    expect((await cast.api.get(`/api/v1/services/${sibling.body.data.id}/build-detection`, { token: cast.owner.token })).body.data).toMatchObject({ state: 'detected', kind: 'static' });
    const project = await cast.api.post('/api/v1/projects', { name: 'Elsewhere', git_repo_url: cast.repo.url }, { token: cast.owner.token, orgId: cast.owner.orgId });
    const fresh = await cast.api.post(`/api/v1/projects/${project.body.data.id}/services`, { name: 'fresh', server_id: cast.serverId }, { token: cast.owner.token });
    const unknown = await cast.api.get(`/api/v1/services/${fresh.body.data.id}/build-detection`, { token: cast.owner.token });
    expect(unknown.body.data).toMatchObject({ state: 'unknown', kind: null });
    expect(unknown.body.data.reason).toContain('not been fetched');
    const other = await (await import('../support/api-client.js')).registerAccount(cast.api, 'other2');
    expect((await cast.api.get(`/api/v1/services/${cast.serviceId}/build-detection`, { token: other.token })).status).toBe(404);
  });
});
