import type { ApiClient, Account } from '../../support/api-client.js';
import type { TestEnv } from '../../support/test-env.js';

let seq = 0;
const unique = (tag: string) => `${tag}-${Date.now().toString(36)}-${(seq += 1)}`;

/** A project with one service of the account's organisation (on a server inserted as online). */
export async function serviceOf(env: TestEnv, api: ApiClient, acc: Account) {
  const [server] = await env.db('servers').insert({ org_id: acc.orgId, name: unique('srv'), agent_token_hash: unique('hash').padEnd(64, '0').slice(0, 64), status: 'online' }).returning('id');
  const project = await api.post('/api/v1/projects', { name: unique('P'), git_repo_url: 'https://github.com/acme/app.git' }, { token: acc.token, orgId: acc.orgId });
  const service = await api.post(`/api/v1/projects/${project.body.data.id}/services`, { name: 'web', server_id: server!.id }, { token: acc.token });
  if (service.status !== 201) throw new Error(`service not created: ${JSON.stringify(service.body)}`);
  return { orgId: acc.orgId, projectId: project.body.data.id as string, serviceId: service.body.data.id as string };
}

/** A deployment of the service that went live `agoMs` ago with this commit. */
export async function liveDeployment(env: TestEnv, serviceId: string, sha: string, agoMs: number, message = `deploy ${sha}`) {
  const at = new Date(Date.now() - agoMs);
  const [d] = await env.db('deployments').insert({
    service_id: serviceId, status: 'running', git_commit_sha: sha, git_commit_message: message, created_at: at, started_at: at, status_changed_at: at, finished_at: at,
  }).returning('id');
  return d!.id;
}

/** A hand-written Sentry event (for fixtures that need an issue without an SDK run). */
export function messageEvent(message: string, over: Record<string, unknown> = {}) {
  return { event_id: crypto.randomUUID().replace(/-/g, ''), platform: 'node', level: 'error', message, timestamp: Date.now() / 1000, ...over };
}
