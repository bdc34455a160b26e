import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFrame, type PayloadOf } from '@syntra/shared';
import type { Account, ApiClient } from '../support/api-client.js';
import { collect, rawAgentSocket, type RealtimeEnv, startRealtimeEnv, waitFor } from '../support/agent-env.js';
import { type AlertRig, startAlertRig } from './alert-rig.js';
import { until } from './stand-ins.js';

// Host metric rules over what agents really send: a hello with the host's totals, then heartbeats
// with used CPU, memory and disk, stored by the agent hub in ClickHouse.
let rig: AlertRig<RealtimeEnv>;
let env: RealtimeEnv;
let api: ApiClient;
let owner: Account;
const sockets: Array<{ close(code?: number): void }> = [];

const frame = <T extends Parameters<typeof buildFrame>[0]>(type: T, payload: PayloadOf<T>) => JSON.stringify(buildFrame(type, payload, randomUUID()));
const hello = (): PayloadOf<'agent_hello'> => ({
  agent_id: randomUUID(), version: '0.1.0', protocol: 1, runtime: 'process', runtime_version: 'node 20', os: { name: 'debian', version: '12' }, arch: 'x64',
  network: { hostname: 'h', public_ip: null, private_ip: null }, resources: { cpu_cores: 2, memory_total_mb: 4000, disk_total_gb: 40 }, capabilities: [], last_acked_telemetry_seq: 0,
});

/** A server whose agent is connected, with one project and a service on it. */
async function host(name: string) {
  const created = await api.post('/api/v1/servers', { name }, { token: owner.token, orgId: owner.orgId });
  const serverId = created.body.data.server.id as string;
  const project = await api.post('/api/v1/projects', { name: `P-${name}` }, { token: owner.token, orgId: owner.orgId });
  const service = await api.post(`/api/v1/projects/${project.body.data.id}/services`, { name: 'api', server_id: serverId }, { token: owner.token });
  const ws = rawAgentSocket(env.url, created.body.data.agent_token);
  sockets.push(ws);
  const messages = collect(ws);
  await new Promise((r) => ws.once('open', r));
  ws.send(frame('agent_hello', hello()));
  await waitFor('hello_ack', () => messages.find((m) => m.type === 'hello_ack'));
  const beat = (cpu: number, memoryMb: number, diskGb: number) =>
    ws.send(frame('heartbeat', { resources: { cpu_percent: cpu, memory_used_mb: memoryMb, disk_used_gb: diskGb, load_avg: [0.1, 0.1, 0.1] }, services: [] }));
  return { serverId, projectId: project.body.data.id as string, serviceId: service.body.data.id as string, beat };
}

const rule = (name: string, metric: string, scope: Record<string, string>, extra: Record<string, unknown> = {}) =>
  rig.rule({ name, kind: 'metric_threshold', condition: { metric, aggregate: 'max', window_seconds: 300, op: '>', threshold: 90, ...extra }, scope, cooldown_seconds: 0 });
const events = (ruleId: string) => rig.events(ruleId);
const evaluate = () => rig.evaluate();
/** Evaluates until the rule has an event (the heartbeat's samples reach ClickHouse in the writer's next batch). */
const firstEvent = (ruleId: string, what: string) =>
  until(async () => {
    await evaluate();
    return (await events(ruleId))[0];
  }, what);

beforeAll(async () => {
  rig = await startAlertRig(await startRealtimeEnv(), 'host-rules');
  ({ env, api, owner } = rig);
});
afterAll(async () => {
  for (const ws of sockets) ws.close(1000);
  await rig?.close();
});

describe('metric_threshold over agents\' host metrics', () => {
  it('memory and disk thresholds fire on the percent of the totals the agent reported; CPU works for service, project and org scopes (worst host)', async () => {
    const full = await host('full-disk');
    const busy = await host('busy-cpu');
    const memory = await rule('Memory nearly full', 'host.memory_percent', { server_id: full.serverId }, { aggregate: 'last', resolve_threshold: 80 });
    const disk = await rule('Disk nearly full', 'host.disk_percent', { server_id: full.serverId });
    const quietDisk = await rule('Disk on the busy host', 'host.disk_percent', { server_id: busy.serverId });
    const serviceCpu = await rule('CPU where the full service runs', 'host.cpu_percent', { service_id: full.serviceId });
    const projectCpu = await rule('CPU of the busy project', 'host.cpu_percent', { project_id: busy.projectId });
    const orgCpu = await rule('CPU anywhere', 'host.cpu_percent', {});
    const orgMemory = await rule('Memory anywhere', 'host.memory_percent', {});

    // 3,800 of 4,000 MiB = 95 %, 38 of 40 GiB = 95 %; the other host is at 96 % CPU.
    full.beat(20, 3800, 38);
    busy.beat(96, 1000, 10);

    const mem = await firstEvent(memory, 'the memory alert');
    expect(mem).toMatchObject({ status: 'firing', server_id: full.serverId, values: { metric: 'host.memory_percent', value: 95 } });
    expect(await firstEvent(disk, 'the disk alert')).toMatchObject({ status: 'firing', server_id: full.serverId, values: { value: 95 } });
    const project = await firstEvent(projectCpu, 'the project CPU alert');
    expect(project).toMatchObject({ status: 'firing', server_id: busy.serverId, values: { value: 96, server_id: busy.serverId } });
    const anywhere = await firstEvent(orgCpu, 'the org CPU alert');
    expect(anywhere).toMatchObject({ status: 'firing', server_id: busy.serverId, values: { server_name: 'busy-cpu' } });
    expect(anywhere.summary).toContain('busy-cpu');
    expect(await firstEvent(orgMemory, 'the org memory alert')).toMatchObject({ server_id: full.serverId, values: { value: 95 } });
    // The editor's preview replays the same over stored samples.
    const preview = await api.post('/api/v1/alert-rules/preview', { name: 'x', kind: 'metric_threshold', condition: { metric: 'host.disk_percent', aggregate: 'max', window_seconds: 300, op: '>', threshold: 90 }, scope: { project_id: full.projectId } }, { token: owner.token, orgId: owner.orgId });
    expect(preview.body.data).toMatchObject({ supported: true, firings: 1 });
    // The service's own host is at 20 % CPU; the busy host's disk is at 25 %.
    expect(await events(serviceCpu)).toEqual([]);
    expect(await events(quietDisk)).toEqual([]);

    // Hysteresis: 85 % is under the threshold but not under resolve_threshold (80): still firing; 50 % resolves.
    full.beat(20, 3400, 38);
    await until(async () => (await env.deps.services.alertData.telemetry.metric(owner.orgId, { name: 'host.memory_used_mb', serverIds: [full.serverId], agg: 'last' }, Date.now() - 300_000, Date.now() + 1000))[0]?.value === 3400, 'the 85 % sample stored');
    await evaluate();
    expect((await events(memory))[0].status).toBe('firing');
    full.beat(20, 2000, 38);
    await until(async () => {
      await evaluate();
      return (await events(memory))[0].status === 'resolved';
    }, 'the memory alert resolved');
  });
});
