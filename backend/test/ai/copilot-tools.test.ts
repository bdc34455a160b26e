import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { lastToolResults } from '../../../test-support/anthropic-stand-in.js';
import { chTime } from '../../src/modules/telemetry/index.js';
import { logRow, spanRow } from '../support/telemetry-seed.js';
import { type AiCast, chat, serviceOf, startAiCast, twoDeployments } from './support.js';

// The co-pilot's telemetry, timeline, restart and alert-rule tools, against the stand-in of the
// Messages API through the real SDK: each read is the Query API's or the timeline's own answer in
// the asker's organisation; each action is a proposal that runs, once approved, as the button does.

let cast: AiCast;
const now = Date.now();
const t0 = now - 20 * 60_000;
const TRACE = 'e'.repeat(31) + '7';
const FOREIGN_TRACE = 'f'.repeat(31) + '8';

beforeAll(async () => {
  cast = await startAiCast();
});
afterAll(() => cast.close());
beforeEach(() => {
  cast.model.requests.length = 0;
});

/** The model calls one tool with `input`, then answers; returns the tool event and the conversation. */
async function oneTool(who: AiCast['owner'], name: string, input: Record<string, unknown>) {
  cast.model.requests.length = 0;
  cast.model.reply = (req, n) => (n === 0 ? { content: [{ type: 'tool_use', name, input }] } : { content: [{ type: 'text', text: 'Done looking.' }] });
  const res = await chat(cast, who, { message: `use ${name}` });
  const tool = res.events.find((e) => e.type === 'tool') as { output: string; is_error: boolean } | undefined;
  if (!tool) throw new Error(`no tool event: ${JSON.stringify(res.events)}`);
  return { tool, res, conversationId: (res.events[0] as { conversation_id: string }).conversation_id };
}

describe('telemetry and timeline read tools', () => {
  let target: { orgId: string; projectId: string; serviceId: string; serverId: string };

  beforeAll(async () => {
    const s = await serviceOf(cast, 'telly');
    target = { ...s, orgId: cast.owner.orgId };
    const outsider = await cast.env.db('servers').insert({ org_id: cast.outsider.orgId, name: 'srv-out', agent_token_hash: 'out-hash'.padEnd(64, '0'), status: 'online' }).returning('id');
    const op = await cast.api.post('/api/v1/projects', { name: 'Out', git_repo_url: 'https://github.com/acme/out.git' }, { token: cast.outsider.token, orgId: cast.outsider.orgId });
    const os = await cast.api.post(`/api/v1/projects/${op.body.data.id}/services`, { name: 'out', server_id: outsider[0]!.id }, { token: cast.outsider.token });
    const foreign = { orgId: cast.outsider.orgId, projectId: op.body.data.id as string, serviceId: os.body.data.id as string };
    const write = cast.env.deps.services.telemetryWriter.write.bind(cast.env.deps.services.telemetryWriter);
    await write('otel_logs', [
      logRow(target, t0 + 1000, 'GET /health ok'),
      logRow(target, t0 + 2000, 'Checkout FAILED: card declined for cart 42', { SeverityText: 'ERROR', SeverityNumber: 17, TraceId: TRACE, SpanId: '2'.repeat(16) }),
    ]);
    await write('otel_logs', [logRow(foreign, t0 + 2000, 'Checkout FAILED elsewhere', { SeverityText: 'ERROR', SeverityNumber: 17 })]);
    await write('otel_traces', [
      spanRow(target, t0 + 2000, { traceId: TRACE, spanId: '1'.repeat(16), name: 'POST /pay', durationMs: 120 }),
      spanRow(target, t0 + 2010, { traceId: TRACE, spanId: '2'.repeat(16), parent: '1'.repeat(16), name: 'charge card', durationMs: 80, error: true }),
    ]);
    await write('otel_traces', [spanRow(foreign, t0 + 2000, { traceId: FOREIGN_TRACE, spanId: '5'.repeat(16), name: 'POST /pay', durationMs: 50 })]);
    const gauge = [0, 1, 2, 3].map((i) => ({ OrgId: target.orgId, ProjectId: target.projectId, ServiceId: target.serviceId, ServiceName: 'web', MetricName: 'queue.depth', MetricUnit: '1', TimeUnix: chTime(t0 + i * 60_000), Value: 10 + i * 10 }));
    await write('otel_metrics_gauge', gauge as never);
  });

  const since = () => new Date(t0 - 60_000).toISOString();

  it('search_logs searches every service of the organisation (not only container output) and no other organisation', async () => {
    const { tool, res } = await oneTool(cast.viewer, 'search_logs', { q: 'checkout', severity: ['error'], since: since() });
    expect(tool.is_error).toBe(false);
    const out = JSON.parse(tool.output) as { lines: Array<{ body: string; service_id: string; trace_id?: string }> };
    expect(out.lines.map((l) => l.body)).toEqual(['Checkout FAILED: card declined for cart 42']);
    expect(out.lines[0]).toMatchObject({ service_id: target.serviceId, trace_id: TRACE });
    expect(res.events.at(-1)!.type).toBe('done');
    // The model got the same (trimmed) answer as a tool_result.
    expect(JSON.stringify(lastToolResults(cast.model.requests[1]!))).toContain('card declined');
    expect(JSON.stringify(lastToolResults(cast.model.requests[1]!))).not.toContain('elsewhere');
  });

  it('search_traces and get_trace read traces; another organisation\'s trace is not found', async () => {
    const list = await oneTool(cast.viewer, 'search_traces', { status: 'error', since: since() });
    expect(list.tool.is_error).toBe(false);
    expect(JSON.parse(list.tool.output).traces).toEqual([expect.objectContaining({ trace_id: TRACE, operation: 'POST /pay', spans: 2, error: true })]);

    const one = await oneTool(cast.viewer, 'get_trace', { trace_id: TRACE.toUpperCase() });
    const trace = JSON.parse(one.tool.output) as { span_count: number; spans: Array<{ name: string; status: string; parent_span_id: string | null }> };
    expect(trace.span_count).toBe(2);
    expect(trace.spans.map((s) => [s.name, s.status, s.parent_span_id])).toEqual([['POST /pay', 'Unset', null], ['charge card', 'Error', '1'.repeat(16)]]);

    const foreign = await oneTool(cast.viewer, 'get_trace', { trace_id: FOREIGN_TRACE });
    expect(foreign.tool).toMatchObject({ is_error: true });
    expect(foreign.tool.output).toMatch(/not found/i);
  });

  it('query_metric gives a series the model can read, with the deploys in the range; list_metrics names it', async () => {
    const names = await oneTool(cast.viewer, 'list_metrics', { service_id: target.serviceId });
    expect(JSON.parse(names.tool.output)).toEqual([expect.objectContaining({ name: 'queue.depth', type: 'gauge' })]);
    const { tool } = await oneTool(cast.viewer, 'query_metric', { name: 'queue.depth', service_id: target.serviceId, agg: 'max', since: since() });
    expect(tool.is_error).toBe(false);
    const answer = JSON.parse(tool.output) as { type: string; series: Array<{ points: Array<[string, number]> }> };
    expect(answer.type).toBe('gauge');
    expect(answer.series[0]!.points.map((p) => p[1])).toEqual([10, 20, 30, 40]);
    expect(Date.parse(answer.series[0]!.points[0]![0])).toBeGreaterThan(t0 - 120_000);
  });

  it("get_timeline reads a service's incident timeline (its deploys) with the asker's organisation wall", async () => {
    await twoDeployments(cast, target.serviceId);
    const { tool } = await oneTool(cast.viewer, 'get_timeline', { service_id: target.serviceId });
    expect(tool.is_error).toBe(false);
    const timeline = JSON.parse(tool.output) as { entries: Array<{ kind: string; ref: { type: string } | null }> };
    expect(timeline.entries.filter((e) => e.kind === 'deploy')).toHaveLength(2);
    const refused = await oneTool(cast.outsider, 'get_timeline', { service_id: target.serviceId });
    expect(refused.tool).toMatchObject({ is_error: true });
    const neither = await oneTool(cast.viewer, 'get_timeline', {});
    expect(neither.tool.output).toContain('give service_id or server_id');
  });
});

describe('restart and alert-rule proposals', () => {
  it('POST /services/:id/restart sends service.restart to the server the service runs on, audited; 409 when it is not running', async () => {
    const { serviceId, serverId } = await serviceOf(cast, 'restartme');
    const idle = await cast.api.post(`/api/v1/services/${serviceId}/restart`, undefined, { token: cast.owner.token });
    expect(idle.status).toBe(409);
    expect(idle.body.error.message).toContain('not running');
    const { current } = await twoDeployments(cast, serviceId);
    const res = await cast.api.post(`/api/v1/services/${serviceId}/restart`, undefined, { token: cast.owner.token });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ service_id: serviceId, deployment_id: current, commands: [{ server_id: serverId }] });
    const command = await cast.env.db('agent_commands').where({ id: res.body.data.commands[0].command_id }).first();
    expect(command).toMatchObject({ server_id: serverId, name: 'service.restart', created_by: cast.owner.userId });
    expect(command!.payload).toMatchObject({ args: { service_id: serviceId, deployment_id: current } });
    expect(await cast.env.db('audit_log').where({ action: 'service.restart', target_id: serviceId, actor_id: cast.owner.userId }).first()).toBeTruthy();
    // A viewer may not restart (deployments.create), and another organisation's service does not exist.
    expect((await cast.api.post(`/api/v1/services/${serviceId}/restart`, undefined, { token: cast.viewer.token })).status).toBe(403);
    expect((await cast.api.post(`/api/v1/services/${serviceId}/restart`, undefined, { token: cast.outsider.token })).status).toBe(404);
    // A server whose agent is away: 503, nothing queued for whenever it comes back.
    await cast.env.db('servers').where({ id: serverId }).update({ status: 'offline' });
    const away = await cast.api.post(`/api/v1/services/${serviceId}/restart`, undefined, { token: cast.owner.token });
    expect(away.status).toBe(503);
    expect(away.body.error.code).toBe('AGENT_OFFLINE');
    expect(await cast.env.db('agent_commands').where({ server_id: serverId, name: 'service.restart' }).count({ n: '*' }).first()).toMatchObject({ n: 1 });
    // No deployment was created: a restart is not a deploy.
    expect(await cast.env.db('deployments').where({ service_id: serviceId }).count({ n: '*' }).first()).toMatchObject({ n: 2 });
  });

  it('propose_restart_service: nothing runs until approved; approved, it runs through the restart route\'s code as the approver, audited with the conversation', async () => {
    const { serviceId, serverId } = await serviceOf(cast, 'bouncy');
    await twoDeployments(cast, serviceId);
    const { res, conversationId } = await oneTool(cast.owner, 'propose_restart_service', { service_id: serviceId });
    const { proposal } = res.events.find((e) => e.type === 'proposal') as { proposal: { id: string; action: string; summary: string; status: string } };
    expect(proposal).toMatchObject({ action: 'restart_service', status: 'pending', summary: 'Restart bouncy' });
    expect(await cast.env.db('agent_commands').where({ server_id: serverId, name: 'service.restart' }).first()).toBeUndefined();

    const approved = await cast.api.post(`/api/v1/ai/proposals/${proposal.id}/approve`, undefined, { token: cast.owner.token });
    expect(approved.status).toBe(200);
    expect(approved.body.data.status).toBe('approved');
    const [commandId] = approved.body.data.result.command_ids as string[];
    expect(await cast.env.db('agent_commands').where({ id: commandId }).first()).toMatchObject({ server_id: serverId, name: 'service.restart', created_by: cast.owner.userId });
    const audit = await cast.env.db('audit_log').where({ action: 'ai.proposal.approved', target_id: proposal.id }).first();
    expect(audit).toMatchObject({ actor_id: cast.owner.userId, metadata: expect.objectContaining({ conversation_id: conversationId, action: 'restart_service' }) });
    expect(await cast.env.db('audit_log').where({ action: 'service.restart', target_id: serviceId, actor_id: cast.owner.userId }).first()).toBeTruthy();
  });

  it("a viewer's approval is refused: proposing needs the button's permission, and so does approving (checked again)", async () => {
    const { serviceId } = await serviceOf(cast, 'viewerbounce');
    await twoDeployments(cast, serviceId);
    const asked = await oneTool(cast.viewer, 'propose_restart_service', { service_id: serviceId });
    expect(asked.tool).toMatchObject({ is_error: true });
    expect(asked.res.events.some((e) => e.type === 'proposal')).toBe(false);
    // A proposal of the viewer's that exists anyway (say they were a developer when it was made): approving it is a 403.
    const [row] = await cast.env.db('ai_proposals').insert({ conversation_id: asked.conversationId, org_id: cast.owner.orgId, user_id: cast.viewer.userId, action: 'restart_service', args: { service_id: serviceId }, summary: 'Restart viewerbounce' }).returning('id');
    const refused = await cast.api.post(`/api/v1/ai/proposals/${row!.id}/approve`, undefined, { token: cast.viewer.token, orgId: cast.owner.orgId });
    expect(refused.status).toBe(403);
    expect((await cast.env.db('ai_proposals').where({ id: row!.id }).first())!.status).toBe('pending');
    expect(await cast.env.db('agent_commands').where({ name: 'service.restart', created_by: cast.viewer.userId }).first()).toBeUndefined();
  });

  it('propose_create_alert_rule: the body is checked with the alerts module\'s rule schema; approved, the rule is created as the user', async () => {
    const { serviceId } = await serviceOf(cast, 'alerty');
    const bad = await oneTool(cast.owner, 'propose_create_alert_rule', { name: 'Slow', kind: 'metric_threshold', scope: { service_id: serviceId }, condition: { metric: 'service.latency_p95_ms', op: '>' } });
    expect(bad.tool.is_error).toBe(true);
    expect(bad.tool.output).toContain('condition.window_seconds');
    expect(bad.res.events.some((e) => e.type === 'proposal')).toBe(false);

    const rule = { name: 'Checkout slow', kind: 'metric_threshold', severity: 'critical', scope: { service_id: serviceId }, condition: { metric: 'service.latency_p95_ms', window_seconds: 300, op: '>', threshold: 800 } };
    const { res, conversationId } = await oneTool(cast.owner, 'propose_create_alert_rule', rule);
    const { proposal } = res.events.find((e) => e.type === 'proposal') as { proposal: { id: string; summary: string; action: string } };
    expect(proposal.action).toBe('create_alert_rule');
    expect(proposal.summary).toBe('Create the critical alert rule "Checkout slow" (metric_threshold) on alerty');
    expect(await cast.env.db('alert_rules').where({ org_id: cast.owner.orgId, name: 'Checkout slow' }).first()).toBeUndefined();

    const approved = await cast.api.post(`/api/v1/ai/proposals/${proposal.id}/approve`, undefined, { token: cast.owner.token });
    expect(approved.body.data).toMatchObject({ status: 'approved', result: { alert_rule_id: expect.any(String) } });
    const created = await cast.api.get(`/api/v1/alert-rules/${approved.body.data.result.alert_rule_id}`, { token: cast.owner.token });
    expect(created.body.data).toMatchObject({ name: 'Checkout slow', kind: 'metric_threshold', severity: 'critical', condition: expect.objectContaining({ threshold: 800, aggregate: 'avg' }) });
    expect(await cast.env.db('audit_log').where({ action: 'alert_rule.created', target_id: approved.body.data.result.alert_rule_id, actor_id: cast.owner.userId }).first()).toBeTruthy();
    const audit = await cast.env.db('audit_log').where({ action: 'ai.proposal.approved', target_id: proposal.id }).first();
    expect(audit?.metadata).toMatchObject({ conversation_id: conversationId, action: 'create_alert_rule' });
  });
});
