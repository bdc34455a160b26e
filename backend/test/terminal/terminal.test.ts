import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Account, type ApiClient, addMember, apiClient, registerAccount } from '../support/api-client.js';
import { type AgentProcess, type RealtimeEnv, spawnAgent, startRealtimeEnv, waitFor } from '../support/agent-env.js';
import WebSocket from 'ws';
import { TERMINAL_SUBPROTOCOL } from '@syntra/shared';
import { createApp } from '../../src/app.js';
import { attachRealtime } from '../../src/realtime.js';
import { buildServices } from '../../src/services.js';
import { TerminalClient } from './terminal-client.js';

let env: RealtimeEnv;
let api: ApiClient;
let owner: Account;
let serverId: string;
let agent: AgentProcess;
const clients: TerminalClient[] = [];

beforeAll(async () => {
  env = await startRealtimeEnv();
  api = apiClient(env.url);
  owner = await registerAccount(api, 'term');
  const created = await api.post('/api/v1/servers', { name: 'box' }, { token: owner.token, orgId: owner.orgId });
  serverId = created.body.data.server.id;
  agent = await spawnAgent(env.url, created.body.data.agent_token);
  await waitFor('agent online', async () => (await api.get(`/api/v1/servers/${serverId}`, { token: owner.token })).body.data.status === 'online');
}, 60_000);

afterAll(async () => {
  for (const c of clients) c.ws?.terminate();
  await agent?.stop('SIGKILL');
  await env?.close();
});

async function openTerminal(opts: { token?: string; record?: boolean; cols?: number; rows?: number } = {}) {
  const res = await api.post(`/api/v1/servers/${serverId}/terminal`, { cols: opts.cols ?? 80, rows: opts.rows ?? 24, target: { kind: 'host' }, record: opts.record ?? false }, { token: opts.token ?? owner.token });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const { session_id, ticket } = res.body.data as { session_id: string; ticket: string };
  const client = await TerminalClient.connect(env.url, session_id, ticket);
  clients.push(client);
  await client.until(() => client.messages.some((m) => m.type === 'opened'), 15_000, 'opened');
  return client;
}

function pasteOf(bytes: number) {
  const lines: string[] = [];
  let n = 0;
  for (let i = 0; n < bytes; i += 1) {
    const line = `${createHash('sha1').update(String(i)).digest('base64')}${i}\n`;
    lines.push(line);
    n += line.length;
  }
  return lines.join('');
}

function agentRssKb(): number {
  const status = fs.readFileSync(`/proc/${agent.child.pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]);
}

describe('terminal through backend and a real agent', () => {
  it('echoes what is typed', async () => {
    const t = await openTerminal();
    t.type('echo round-$((20+22))-trip\r');
    await t.until(() => t.text.includes('round-42-trip'));
  });

  it('reports the new size after a resize', async () => {
    const t = await openTerminal();
    t.resize(120, 33);
    await t.run('stty size');
    expect(t.text).toContain('33 120');
  });

  it('interrupts sleep with Ctrl-C', async () => {
    const t = await openTerminal();
    // Ctrl-C only once the shell runs the line (its own output says so): sent earlier, a busy machine
    // lets it reach readline first, which discards the line instead of interrupting it.
    t.type('echo "running-$((2+2))"; sleep 60; echo "slept-$((1+1))"\r');
    await t.until(() => t.text.includes('running-4'));
    t.type('\x03');
    await t.run('echo "status=$?"');
    expect(t.text).toContain('status=130');
    expect(t.text).not.toContain('slept-2');
  });

  it('reports the exit code and records the session with byte counts in the audit trail', async () => {
    const t = await openTerminal();
    await t.run('echo hello');
    t.type('exit 3\r');
    await t.until(() => t.messages.some((m) => m.type === 'exit'));
    expect(t.messages.find((m) => m.type === 'exit')).toMatchObject({ exit_code: 3, signal: null });
    await t.until(() => t.closed !== null);
    const row = await waitFor('ended row', async () => {
      const r = (await api.get(`/api/v1/terminal-sessions/${t.sessionId}`, { token: owner.token })).body.data;
      return r.status === 'ended' && r;
    });
    expect(row).toMatchObject({ server_id: serverId, user: { id: owner.userId }, target: { kind: 'host' }, exit_code: 3 });
    expect(row.bytes_in).toBeGreaterThan('echo hello'.length);
    expect(row.bytes_out).toBeGreaterThan(0);
    expect(row.ended_at).not.toBeNull();
    const audit = (await api.get(`/api/v1/orgs/${owner.orgId}/audit`, { token: owner.token })).body.data.items as any[];
    const opened = audit.find((a) => a.action === 'terminal.open' && a.metadata.session_id === t.sessionId);
    const ended = audit.find((a) => a.action === 'terminal.end' && a.metadata.session_id === t.sessionId);
    expect(opened).toMatchObject({ target_type: 'server', target_id: serverId, actor: { id: owner.userId } });
    expect(ended.metadata).toMatchObject({ exit_code: 3, bytes_in: row.bytes_in, bytes_out: row.bytes_out });
  });

  it('delivers a 1 MB paste intact', async () => {
    const t = await openTerminal();
    const paste = pasteOf(1024 * 1024);
    const expected = createHash('sha256').update(paste).digest('hex');
    t.type(`stty -echo; echo "go-$((1+1))"; head -c ${Buffer.byteLength(paste)} | sha256sum; stty echo\r`);
    await t.until(() => t.text.includes('go-2'));
    t.type(paste);
    await t.until(() => /[0-9a-f]{64}/.test(t.text), 30_000, 'checksum');
    expect(t.text).toContain(expected);
  });

  it('holds a flood of output while the console does not read it, without growing memory', async () => {
    const t = await openTerminal();
    await t.run('true');
    const rssBefore = agentRssKb();
    t.ackMode = 'manual';
    const start = t.bytes;
    t.type('yes 0123456789abcdefghijklmnopqrstuvwxyz | head -c 100000000; echo "flood-$((2*3))"\r');
    await new Promise((r) => setTimeout(r, 2000));
    const whileStalled = t.bytes - start;
    // The agent stopped after one window (1 MiB) plus a batch; 100 MB did not pile up anywhere.
    expect(whileStalled).toBeLessThan(1024 * 1024 + 128 * 1024);
    expect(agentRssKb() - rssBefore).toBeLessThan(64 * 1024);
    // A slow reader gets everything, in order, as it acknowledges.
    t.ackMode = 'auto';
    t.ack();
    await t.until(() => t.text.includes('flood-6'), 120_000, 'flood to finish');
    expect(t.bytes - start).toBeGreaterThan(100_000_000);
    expect(t.seqs).toEqual(t.seqs.map((_, i) => t.seqs[0]! + i));
  }, 180_000);

  it('resumes after the console socket is killed, showing the missed output exactly once', async () => {
    const t = await openTerminal();
    await t.run('true');
    t.type('sleep 1; for i in 1 2 3; do echo "missed-$((i*11))"; done\r');
    await new Promise((r) => setTimeout(r, 200));
    t.kill();
    await t.until(() => t.closed !== null);
    await new Promise((r) => setTimeout(r, 1500));
    const before = t.text;
    expect(before).not.toContain('missed-33');
    await t.open(t.lastSeq);
    await t.until(() => t.text.includes('missed-33'), 15_000, 'missed output');
    await t.run('true');
    for (const n of [11, 22, 33]) expect(t.text.match(new RegExp(`missed-${n}\\r\\n`, 'g'))).toHaveLength(1);
    expect(t.messages.filter((m) => m.type === 'opened').at(-1)).toMatchObject({ resumed: true });
    expect(t.seqs).toEqual(t.seqs.map((_, i) => i + 1));
  });

  it('carries on when the agent connection itself drops and comes back, without losing output', async () => {
    const t = await openTerminal();
    await t.run('true');
    t.type('sleep 0.3; for i in 1 2 3; do echo "while-away-$((i*7))"; done\r');
    await env.deps.services.agentHub.disconnect(serverId, 4000, 'network blip (test)');
    await t.until(() => t.text.includes('while-away-21'), 30_000, 'output produced while the agent was away');
    await t.run('echo "still-$((2+2))"');
    for (const n of [7, 14, 21]) expect(t.text.match(new RegExp(`while-away-${n}\\r\\n`, 'g'))).toHaveLength(1);
    expect(t.closed).toBeNull();
  });

  it('records the session as asciicast v2 for replay', async () => {
    const t = await openTerminal({ record: true });
    await t.run('echo "recorded-$((5*5))"');
    t.type('exit\r');
    await t.until(() => t.closed !== null);
    const res = await fetch(`${env.url}/api/v1/terminal-sessions/${t.sessionId}/recording`, { headers: { authorization: `Bearer ${owner.token}` } });
    expect(res.status).toBe(200);
    const lines = (await res.text()).trim().split('\n');
    expect(JSON.parse(lines[0]!)).toMatchObject({ version: 2, width: 80, height: 24 });
    const output = lines.slice(1).map((l) => JSON.parse(l) as [number, string, string]).filter((e) => e[1] === 'o').map((e) => e[2]).join('');
    expect(output).toContain('recorded-25');
  });
});

describe('who may open a terminal', () => {
  it('lets developers in, keeps viewers out (403), hides other orgs’ servers (404), and honours admins-only', async () => {
    const developer = await registerAccount(api, 'dev');
    const viewer = await registerAccount(api, 'viewer');
    const admin = await registerAccount(api, 'admin');
    const stranger = await registerAccount(api, 'stranger');
    await addMember(api, owner, developer, 'developer');
    await addMember(api, owner, viewer, 'viewer');
    await addMember(api, owner, admin, 'admin');
    const body = { cols: 80, rows: 24, target: { kind: 'host' } };
    const open = (who: Account) => api.post(`/api/v1/servers/${serverId}/terminal`, body, { token: who.token });

    expect((await open(developer)).status).toBe(201);
    const v = await open(viewer);
    expect(v.status).toBe(403);
    expect(v.body.error.code).toBe('FORBIDDEN');
    const s = await open(stranger);
    expect(s.status).toBe(404);
    expect(s.body.error.code).toBe('NOT_FOUND');

    await api.patch(`/api/v1/orgs/${owner.orgId}`, { settings: { terminal_admins_only: true } }, { token: owner.token });
    try {
      expect((await open(developer)).status).toBe(403);
      expect((await open(admin)).status).toBe(201);
    } finally {
      await api.patch(`/api/v1/orgs/${owner.orgId}`, { settings: { terminal_admins_only: false } }, { token: owner.token });
    }
  });

  it('opens service terminals only for services of this organisation on this server', async () => {
    const res = await api.post(`/api/v1/servers/${serverId}/terminal`, { cols: 80, rows: 24, target: { kind: 'service', service_id: crypto.randomUUID() } }, { token: owner.token });
    expect(res.status).toBe(404);
  });

  it('refuses a console socket without the session ticket', async () => {
    const res = await api.post(`/api/v1/servers/${serverId}/terminal`, { cols: 80, rows: 24 }, { token: owner.token });
    await expect(TerminalClient.connect(env.url, res.body.data.session_id, 'wrong-ticket')).rejects.toThrow(/404/);
  });

  it('attaches by bearer only with what opening would need: a session or an admin-scoped token of that organisation', async () => {
    const res = await api.post(`/api/v1/servers/${serverId}/terminal`, { cols: 80, rows: 24 }, { token: owner.token });
    const { session_id } = res.body.data as { session_id: string };
    const elsewhere = (await api.post('/api/v1/orgs', { name: 'Elsewhere' }, { token: owner.token })).body.data;
    const mint = async (scopes: string[], orgId?: string) =>
      (await api.post('/api/v1/tokens', { name: 'term', scopes, org_id: orgId }, { token: owner.token })).body.data.token as string;
    const attach = (token: string) =>
      new Promise<number>((resolve) => {
        const ws = new WebSocket(`${env.url.replace(/^http/, 'ws')}/api/v1/terminal/${session_id}`, [TERMINAL_SUBPROTOCOL], { headers: { authorization: `Bearer ${token}` } });
        ws.on('error', () => undefined);
        ws.once('unexpected-response', (_req, r) => resolve(r.statusCode ?? 0));
        ws.once('open', () => {
          ws.terminate();
          resolve(101);
        });
      });
    const outcomes = {
      read: await attach(await mint(['read'])),
      write: await attach(await mint(['write'])),
      adminBoundElsewhere: await attach(await mint(['admin'], elsewhere.id)),
      adminBoundHere: await attach(await mint(['admin'], owner.orgId)),
      session: await attach(owner.token),
    };
    expect(outcomes).toEqual({ read: 404, write: 404, adminBoundElsewhere: 404, adminBoundHere: 101, session: 101 });
  });

  it('lasts no longer than its access: a revoked token or a removed member closes the console (4403) and its ticket stops attaching', async () => {
    const token = (await api.post('/api/v1/tokens', { name: 'term-admin', scopes: ['admin'] }, { token: owner.token })).body.data;
    const byToken = await openTerminal({ token: token.token });
    const developer = await registerAccount(api, 'term-leaver');
    await addMember(api, owner, developer, 'developer');
    const byMember = await openTerminal({ token: developer.token });

    await env.deps.services.terminalRelay.recheck(); // what every ping round does: both may stay
    expect([byToken.closed, byMember.closed]).toEqual([null, null]);

    expect((await api.delete(`/api/v1/tokens/${token.id}`, { token: owner.token })).status).toBe(200);
    expect((await api.delete(`/api/v1/orgs/${owner.orgId}/members/${developer.userId}`, { token: owner.token })).status).toBe(200);
    await env.deps.services.terminalRelay.recheck();
    await byToken.until(() => byToken.closed !== null, 10_000, 'token console closed');
    await byMember.until(() => byMember.closed !== null, 10_000, 'member console closed');
    expect([byToken.closed?.code, byMember.closed?.code]).toEqual([4403, 4403]);
    await expect(TerminalClient.connect(env.url, byToken.sessionId, byToken.ticket)).rejects.toThrow(/404/);
    await expect(TerminalClient.connect(env.url, byMember.sessionId, byMember.ticket)).rejects.toThrow(/404/);
  });

  it('takes the ticket from Sec-WebSocket-Protocol, never from the URL, and answers with the terminal subprotocol', async () => {
    const res = await api.post(`/api/v1/servers/${serverId}/terminal`, { cols: 80, rows: 24 }, { token: owner.token });
    const { session_id, ticket } = res.body.data as { session_id: string; ticket: string };
    const base = `${env.url.replace(/^http/, 'ws')}/api/v1/terminal/${session_id}`;
    const inUrl = new WebSocket(`${base}?ticket=${encodeURIComponent(ticket)}`);
    inUrl.on('error', () => undefined);
    const refused = await new Promise<number>((resolve) => {
      inUrl.once('unexpected-response', (_req, r) => resolve(r.statusCode ?? 0));
      inUrl.once('open', () => resolve(101));
    });
    inUrl.terminate();
    expect(refused).toBe(404);
    const t = await TerminalClient.connect(env.url, session_id, ticket);
    clients.push(t);
    // Browsers drop a handshake whose answer names none of the offered protocols; the ticket is not echoed.
    expect(t.ws.protocol).toBe(TERMINAL_SUBPROTOCOL);
    await t.until(() => t.messages.some((m) => m.type === 'opened'), 15_000, 'opened');
  });

  it('spends a ticket on each attach: the socket hands out the next, and a spent one stops working after a short overlap', async () => {
    const res = await api.post(`/api/v1/servers/${serverId}/terminal`, { cols: 80, rows: 24 }, { token: owner.token });
    const { session_id, ticket: first } = res.body.data as { session_id: string; ticket: string };
    const a = await TerminalClient.connect(env.url, session_id, first);
    clients.push(a);
    await a.until(() => a.messages.some((m) => m.type === 'opened'), 15_000, 'opened');
    const second = a.ticket;
    expect(second).not.toBe(first);
    expect(a.messages[0]).toEqual({ type: 'ticket', ticket: second }); // the first message on the socket
    a.kill();
    await a.until(() => a.closed !== null);

    // Within the overlap the spent ticket still attaches: a console whose socket dropped before the new one arrived.
    const b = await TerminalClient.connect(env.url, session_id, first, a.lastSeq);
    clients.push(b);
    await b.until(() => b.messages.some((m) => m.type === 'opened'), 15_000, 'opened with the spent ticket');
    b.kill();
    await b.until(() => b.closed !== null);

    // After it, the spent ticket is refused, and so is the one handed out but never used.
    await env.db('terminal_sessions').where({ id: session_id }).update({ prev_ticket_expires_at: new Date(Date.now() - 1000) });
    await expect(TerminalClient.connect(env.url, session_id, first)).rejects.toThrow(/404/);
    await expect(TerminalClient.connect(env.url, session_id, second)).rejects.toThrow(/404/);
    const c = await TerminalClient.connect(env.url, session_id, b.ticket, b.lastSeq);
    clients.push(c);
    await c.until(() => c.messages.some((m) => m.type === 'opened'), 15_000, 'opened with the newest ticket');
  });
});

describe('two api nodes', () => {
  it('relays through Redis when the console and the agent are on different nodes, and resumes on either', async () => {
    // A second api node on the same PostgreSQL and Redis; the agent stays connected to the first.
    const server2 = http.createServer();
    await new Promise<void>((resolve) => server2.listen(0, '127.0.0.1', resolve));
    const url2 = `http://127.0.0.1:${(server2.address() as AddressInfo).port}`;
    const deps2 = { ...env.deps, services: buildServices(env.config, env.db, env.redis, env.clickhouse, env.deps.logger) };
    server2.on('request', createApp(deps2).callback());
    const realtime2 = await attachRealtime(server2, deps2);
    try {
      const res = await api.post(`/api/v1/servers/${serverId}/terminal`, { cols: 80, rows: 24 }, { token: owner.token });
      const t = await TerminalClient.connect(url2, res.body.data.session_id, res.body.data.ticket);
      clients.push(t);
      await t.until(() => t.messages.some((m) => m.type === 'opened'), 15_000, 'opened via node 2');
      t.resize(91, 17);
      await t.run('stty size');
      expect(t.text).toContain('17 91');

      // Drop the console on node 2; resume on node 1, where the agent is.
      t.type('sleep 0.5; echo "crossed-$((8*8))"\r');
      await new Promise((r) => setTimeout(r, 100));
      t.kill();
      await t.until(() => t.closed !== null);
      await new Promise((r) => setTimeout(r, 1200));
      const resumed = await TerminalClient.connect(env.url, t.sessionId, t.ticket, t.lastSeq);
      clients.push(resumed);
      await resumed.until(() => resumed.text.includes('crossed-64'), 15_000, 'missed output on node 1');
      expect(resumed.seqs[0]).toBe(t.lastSeq + 1);
    } finally {
      await realtime2.stop();
      server2.closeAllConnections();
      await new Promise<void>((resolve) => server2.close(() => resolve()));
    }
  });
});

describe('records nobody can end', () => {
  it('are closed: a session never attached, and one on a server whose agent is long gone', async () => {
    const [gone] = await env.db('servers').insert({ org_id: owner.orgId, name: 'gone', agent_token_hash: 'f'.repeat(64), status: 'offline', last_heartbeat_at: new Date(Date.now() - 3600_000) }).returning('id');
    const row = (id: string, server: string, status: string, startedAgo: number) => ({
      id, org_id: owner.orgId, server_id: server, server_name: 'x', user_id: owner.userId, target: JSON.stringify({ kind: 'host' }),
      cols: 80, rows: 24, status, ticket_hash: '0'.repeat(64), started_at: new Date(Date.now() - startedAgo),
    });
    const [neverAttached, agentGone, live] = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()];
    await env.db('terminal_sessions').insert([row(neverAttached, serverId, 'pending', 3600_000), row(agentGone, gone!.id, 'open', 3600_000), row(live, serverId, 'open', 3600_000)]);
    await env.deps.services.terminalRelay.sweepStale();
    const status = async (id: string) => (await env.db('terminal_sessions').where({ id }).first())!.status;
    expect(await status(neverAttached)).toBe('ended');
    expect(await status(agentGone)).toBe('ended');
    expect(await status(live)).toBe('open');
    const ends = await env.db('audit_log').where({ action: 'terminal.end' }).whereRaw("metadata->>'session_id' = ?", [agentGone]);
    expect(ends).toHaveLength(1);
  });
});
