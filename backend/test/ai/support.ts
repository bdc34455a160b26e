import type { AiChatEvent } from '@syntra/shared';
import { type AnthropicStandIn, startAnthropicStandIn } from '../../../test-support/anthropic-stand-in.js';
import { type Account, addMember, apiClient, type ApiClient, registerAccount } from '../support/api-client.js';
import { startTestEnv, type TestEnv } from '../support/test-env.js';

export interface AiCast {
  env: TestEnv;
  api: ApiClient;
  model: AnthropicStandIn;
  owner: Account;
  viewer: Account;
  outsider: Account;
  close(): Promise<void>;
}

/** An app with AI on, pointed at the local stand-in of the Messages API; an owner, a viewer of their org and an outsider. */
export async function startAiCast(config: Record<string, string> = {}): Promise<AiCast> {
  const model = await startAnthropicStandIn();
  const env = await startTestEnv({ ANTHROPIC_API_KEY: 'sk-ant-test-key', ANTHROPIC_BASE_URL: model.url, SYNTRA_AI_MODEL: 'claude-test-model', ...config });
  const api = apiClient(env.url);
  const owner = await registerAccount(api, 'owner');
  const viewer = await registerAccount(api, 'viewer');
  await addMember(api, owner, viewer, 'viewer');
  const outsider = await registerAccount(api, 'outsider');
  return { env, api, model, owner, viewer, outsider, close: async () => { await env.close(); await model.close(); } };
}

/** A project with a service on an online server of the owner's org (presence = servers.status). */
export async function serviceOf(cast: AiCast, name = 'web') {
  const [server] = await cast.env.db('servers').insert({ org_id: cast.owner.orgId, name: `srv-${name}`, agent_token_hash: `${name}-hash`.padEnd(64, '0'), status: 'online' }).returning('id');
  const project = await cast.api.post('/api/v1/projects', { name: `App ${name}`, git_repo_url: 'https://github.com/acme/app.git' }, { token: cast.owner.token, orgId: cast.owner.orgId });
  const service = await cast.api.post(`/api/v1/projects/${project.body.data.id}/services`, { name, server_id: server!.id }, { token: cast.owner.token });
  return { serverId: server!.id as string, projectId: project.body.data.id as string, serviceId: service.body.data.id as string };
}

/** Two deployments that ran (the second current), so a rollback to the first is possible. */
export async function twoDeployments(cast: AiCast, serviceId: string) {
  const ids: string[] = [];
  for (const tag of ['1', '2']) {
    const [artifact] = await cast.env.db('artifacts').insert({ org_id: cast.owner.orgId, service_id: serviceId, kind: 'image', image_ref: `example/app:${tag}`, digest: `ref:example/app:${tag}` }).returning('id');
    const [d] = await cast.env.db('deployments').insert({ service_id: serviceId, status: 'running', artifact_id: artifact!.id, finished_at: new Date() }).returning('id');
    ids.push(d!.id);
  }
  await cast.env.db('services').where({ id: serviceId }).update({ current_deployment_id: ids[1]! });
  return { first: ids[0]!, current: ids[1]! };
}

/** POSTs a chat message and reads the whole event stream. */
export async function chat(cast: AiCast, who: Account, body: Record<string, unknown>) {
  const res = await fetch(`${cast.env.url}/api/v1/ai/chat`, {
    method: 'POST',
    headers: { authorization: `Bearer ${who.token}`, 'x-org-id': who === cast.viewer ? cast.owner.orgId : who.orgId, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  const events: AiChatEvent[] = res.headers.get('content-type')?.startsWith('text/event-stream')
    ? text.split('\n\n').filter((chunk) => chunk.includes('data: ')).map((chunk) => JSON.parse(chunk.slice(chunk.indexOf('data: ') + 6)) as AiChatEvent)
    : [];
  return { status: res.status, contentType: res.headers.get('content-type'), events, body: events.length ? null : JSON.parse(text), text: events.filter((e) => e.type === 'text').map((e) => (e as { text: string }).text).join('') };
}

export { addMember };

/** A runtime log line of a service, stored as its agent's telemetry would be (otel_logs in ClickHouse). */
export async function serviceLogLine(env: TestEnv, serviceId: string, line: string, at = new Date()) {
  const { AgentLogIntake } = await import('../../src/modules/telemetry/store/index.js');
  const svc = await env.deps.services.services.contextById(serviceId);
  if (!svc) throw new Error('no such service');
  const intake = new AgentLogIntake({ writer: env.deps.services.telemetryWriter, service: (id) => env.deps.services.services.contextById(id), retentionDays: () => 30 });
  await intake.store(svc.server_id, svc.org_id, [{ kind: 'log', ts: at.toISOString(), service_id: serviceId, deployment_id: null, stream: 'stderr', line }], { seq: Math.floor(Math.random() * 1e9) });
}
