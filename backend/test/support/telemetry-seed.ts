import type { ApiClient, Account } from './api-client.js';
import type { TestEnv } from './test-env.js';
import { chTime, type OtelLogRow, type OtelSpanRow } from '../../src/modules/telemetry/index.js';

let seq = 0;

/** A project with a service on a server of the account's org (the server row straight in the database, no agent). */
export async function telemetryService(env: Pick<TestEnv, 'db'>, api: ApiClient, acc: Account, name = 'web') {
  seq += 1;
  const [server] = await env.db('servers').insert({ org_id: acc.orgId, name: `srv-${Date.now().toString(36)}-${seq}`, agent_token_hash: `${seq}`.padEnd(64, '0'), status: 'online' }).returning('id');
  const project = await api.post('/api/v1/projects', { name: `P${Date.now().toString(36)}${seq}`, git_repo_url: 'https://github.com/acme/app.git' }, { token: acc.token, orgId: acc.orgId });
  const service = await api.post(`/api/v1/projects/${project.body.data.id}/services`, { name, server_id: server!.id }, { token: acc.token });
  if (service.status !== 201) throw new Error(`service: ${service.status} ${JSON.stringify(service.body)}`);
  return { serverId: server!.id as string, projectId: project.body.data.id as string, serviceId: service.body.data.id as string, orgId: acc.orgId };
}

/** A finished deployment of the service at `at` (a deploy marker). */
export async function deploymentAt(env: Pick<TestEnv, 'db'>, orgId: string, serviceId: string, at: Date, status: 'running' | 'failed' = 'running') {
  const [artifact] = await env.db('artifacts').insert({ org_id: orgId, service_id: serviceId, kind: 'image', image_ref: 'example/app:1', digest: `ref:example/app:${(seq += 1)}` }).returning('id');
  const [d] = await env.db('deployments').insert({ service_id: serviceId, status, artifact_id: artifact!.id, created_at: at, finished_at: at, git_commit_sha: 'abcdef1234567890abcdef1234567890abcdef12' }).returning('id');
  return d!.id as string;
}

export interface Target {
  orgId: string;
  projectId: string;
  serviceId: string;
}

export function logRow(t: Target, at: number, body: string, extra: Partial<OtelLogRow> = {}): OtelLogRow {
  return { OrgId: t.orgId, ProjectId: t.projectId, ServiceId: t.serviceId, Timestamp: chTime(at), ServiceName: 'web', Body: body, SeverityText: 'INFO', SeverityNumber: 9, ...extra };
}

export function spanRow(t: Target, at: number, s: { traceId: string; spanId: string; parent?: string; name: string; durationMs: number; error?: boolean; kind?: string }): OtelSpanRow {
  return {
    OrgId: t.orgId,
    ProjectId: t.projectId,
    ServiceId: t.serviceId,
    Timestamp: chTime(at),
    TraceId: s.traceId,
    SpanId: s.spanId,
    ParentSpanId: s.parent ?? '',
    SpanName: s.name,
    SpanKind: s.kind ?? (s.parent ? 'Internal' : 'Server'),
    ServiceName: 'web',
    Duration: Math.round(s.durationMs * 1e6),
    StatusCode: s.error ? 'Error' : 'Unset',
    StatusMessage: s.error ? 'boom' : '',
    SpanAttributes: { 'http.route': '/pay' },
    'Events.Timestamp': [chTime(at + 1)],
    'Events.Name': [s.error ? 'exception' : 'started'],
    'Events.Attributes': [{ 'exception.message': s.error ? 'boom' : '' }],
  };
}
