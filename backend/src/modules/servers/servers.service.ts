import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { CreateServerBody, PageQuery, ServerMetricsQuery, ServerStatus, UpdateServerBody, ServerUsage } from '@syntra/shared';
import { CLOSE_CODES } from '@syntra/shared';
import type { ServerRow } from './servers.tables.js';
import { NotFoundError } from '../../errors.js';
import { newSecretToken, sha256Hex } from '../../lib/crypto.js';
import { iso } from '../../lib/iso.js';
import { pageResult } from '../../lib/pagination.js';
import type { AgentHub, CommandRow } from '../agent-hub/index.js';
import type { AuditService } from '../audit/index.js';
import type { Actor, OrgService } from '../orgs/index.js';
import type { ServerMetricsStore } from '../server-metrics/index.js';
import { ServersRepo } from './servers.repo.js';

/** The local agent registers itself: no user acts. */
type SystemOrUser = Omit<Actor, 'userId'> & { userId: string | null };

export const AGENT_TOKEN_PREFIX = 'syn_agent_';
/** Metrics answers hold at most this many points unless a step is given. */
const MAX_POINTS = 360;

export function toServerDto(s: ServerRow, usage: ServerUsage | null = null) {
  return {
    id: s.id,
    org_id: s.org_id,
    name: s.name,
    hostname: s.hostname,
    public_ip: s.public_ip,
    private_ip: s.private_ip,
    runtime: s.runtime,
    runtime_version: s.runtime_version,
    status: s.status,
    agent_version: s.agent_version,
    os_name: s.os_name,
    os_version: s.os_version,
    arch: s.arch,
    cpu_cores: s.cpu_cores,
    memory_mb: s.memory_mb,
    disk_gb: s.disk_gb,
    tags: s.tags ?? [],
    last_heartbeat_at: iso(s.last_heartbeat_at),
    usage,
    created_at: iso(s.created_at),
    updated_at: iso(s.updated_at),
  };
}

export function toCommandDto(c: CommandRow) {
  return {
    id: c.id,
    server_id: c.server_id,
    name: c.name ?? c.type,
    status: c.status,
    ok: c.ok,
    data: c.data ?? undefined,
    error: c.error,
    delivery_count: c.delivery_count,
    created_at: iso(c.created_at),
    answered_at: iso(c.answered_at),
  };
}

export class ServerService {
  private readonly repo: ServersRepo;

  constructor(
    db: Knex,
    private readonly audit: AuditService,
    private readonly orgs: OrgService,
    private readonly hub: AgentHub,
    private readonly metrics: ServerMetricsStore,
    private readonly publicUrl: string,
  ) {
    this.repo = new ServersRepo(db);
  }

  orgIdOf(serverId: string) {
    return this.repo.orgIdOf(serverId);
  }

  /** `online` is kept by the agent hub from the socket's life and heartbeats, on every api node. */
  async isOnline(serverId: string): Promise<boolean> {
    return (await this.repo.statusOf(serverId)) === 'online';
  }

  /** The server an agent token belongs to (agent-authenticated routes such as artifact downloads). */
  async byAgentToken(token: string): Promise<{ id: string; org_id: string; is_local: boolean } | undefined> {
    const row = await this.repo.byTokenHash(sha256Hex(token));
    return row ? { id: row.id, org_id: row.org_id, is_local: row.is_local } : undefined;
  }

  /** A server of the org as stored (no usage figures), or undefined. */
  async findInOrg(orgId: string, id: string): Promise<{ id: string; name: string; status: string; is_local: boolean } | undefined> {
    const row = await this.repo.find(orgId, id);
    return row ? { id: row.id, name: row.name, status: row.status, is_local: row.is_local } : undefined;
  }

  /** The organisation's servers (all, or these ids) with their reported memory and disk totals. */
  hosts(orgId: string, ids?: readonly string[]) {
    return this.repo.hosts(orgId, ids);
  }

  /** Status changes of the organisation's servers since `since`, newest first, with the server's name. */
  statusEventsSince(orgId: string, since: Date, limit = 1000) {
    return this.repo.statusEventsSince(orgId, since, limit);
  }

  installCommand(token: string) {
    // The token travels as an argument of the script, never in a URL that proxies would log.
    return `curl -fsSL ${this.publicUrl}/install.sh | sudo sh -s -- --url ${this.publicUrl} --token ${token}`;
  }

  async list(orgId: string, page: PageQuery & { status?: ServerStatus | undefined }) {
    const rows = await this.repo.list(orgId, page);
    const usage = await this.metrics.latest(orgId, rows.slice(0, page.limit).map((r) => r.id));
    return pageResult(rows, page.limit, (r) => ({ at: r.created_at, id: r.id }), (r) => toServerDto(r, usage.get(r.id) ?? null));
  }

  async get(orgId: string, id: string) {
    const server = await this.repo.find(orgId, id);
    if (!server) throw new NotFoundError('Server');
    const usage = await this.metrics.latest(orgId, [id]);
    return toServerDto(server, usage.get(id) ?? null);
  }

  async create(orgId: string, actor: SystemOrUser, input: CreateServerBody, opts: { local?: boolean } = {}) {
    const token = newSecretToken(AGENT_TOKEN_PREFIX);
    const server = await this.repo.insert({ org_id: orgId, name: input.name, tags: input.tags ?? [], agent_token_hash: sha256Hex(token), is_local: opts.local ?? false });
    await this.audit.record({ orgId, actorId: actor.userId, action: 'server.created', targetType: 'server', targetId: server.id, ip: actor.ip, userAgent: actor.userAgent, metadata: { name: server.name } });
    return { server: toServerDto(server), agent_token: token, install_command: this.installCommand(token) };
  }

  async update(orgId: string, id: string, actor: Actor, input: UpdateServerBody) {
    const current = await this.repo.find(orgId, id);
    if (!current) throw new NotFoundError('Server');
    const updated = await this.repo.update(id, { ...(input.name !== undefined ? { name: input.name } : {}), ...(input.tags !== undefined ? { tags: input.tags } : {}) });
    if (!updated) throw new NotFoundError('Server');
    await this.audit.record({ orgId, actorId: actor.userId, action: 'server.updated', targetType: 'server', targetId: id, ip: actor.ip, userAgent: actor.userAgent, metadata: { fields: Object.keys(input) } });
    return this.get(orgId, updated.id);
  }

  async remove(orgId: string, id: string, actor: Actor) {
    const current = await this.repo.find(orgId, id);
    if (!current) throw new NotFoundError('Server');
    await this.repo.delete(id);
    await this.hub.disconnect(id, CLOSE_CODES.revoked, 'server deleted');
    await this.audit.record({ orgId, actorId: actor.userId, action: 'server.deleted', targetType: 'server', targetId: id, ip: actor.ip, userAgent: actor.userAgent, metadata: { name: current.name } });
  }

  /** A new token; the old one stops working at once and its connected agent is closed with 4009. */
  async rotateToken(orgId: string, id: string, actor: Actor) {
    const current = await this.repo.find(orgId, id);
    if (!current) throw new NotFoundError('Server');
    const token = newSecretToken(AGENT_TOKEN_PREFIX);
    const updated = await this.repo.update(id, { agent_token_hash: sha256Hex(token) });
    if (!updated) throw new NotFoundError('Server');
    await this.hub.disconnect(id, CLOSE_CODES.revoked, 'token revoked');
    await this.audit.record({ orgId, actorId: actor.userId, action: 'server.token_rotated', targetType: 'server', targetId: id, ip: actor.ip, userAgent: actor.userAgent });
    return { server: toServerDto(updated), agent_token: token, install_command: this.installCommand(token) };
  }

  async metricsOf(orgId: string, id: string, query: ServerMetricsQuery) {
    const server = await this.repo.find(orgId, id);
    if (!server) throw new NotFoundError('Server');
    const to = query.to ? new Date(query.to) : new Date();
    const from = query.from ? new Date(query.from) : new Date(to.getTime() - 3_600_000);
    const span = Math.max(1, (to.getTime() - from.getTime()) / 1000);
    const step = query.step ?? Math.max(1, Math.ceil(span / MAX_POINTS));
    const points = await this.metrics.range(orgId, id, from, to, step);
    return { server_id: id, from: from.toISOString(), to: to.toISOString(), step_seconds: step, points };
  }

  async command(orgId: string, id: string, actor: Actor, input: { name: string; args: Record<string, unknown>; wait_ms: number }) {
    const server = await this.repo.find(orgId, id);
    if (!server) throw new NotFoundError('Server');
    const commandId = randomUUID();
    const [row] = await Promise.all([
      this.hub.send({
        id: commandId,
        serverId: id,
        type: 'command',
        name: input.name,
        payload: (requestId) => ({ request_id: requestId, name: input.name, args: input.args }),
        createdBy: actor.userId,
        waitMs: input.wait_ms,
        online: server.status === 'online',
      }),
      this.audit.record({ orgId, actorId: actor.userId, action: 'server.command', targetType: 'server', targetId: id, ip: actor.ip, userAgent: actor.userAgent, metadata: { name: input.name, command_id: commandId } }),
    ]);
    return toCommandDto(row);
  }

  async statusHistory(orgId: string, id: string, page: PageQuery) {
    const server = await this.repo.find(orgId, id);
    if (!server) throw new NotFoundError('Server');
    const rows = await this.repo.statusEvents(id, page);
    const items = rows.slice(0, page.limit);
    const last = items[items.length - 1];
    return {
      items: items.map((r) => ({ status: r.status, previous_status: r.previous_status, reason: r.reason, at: iso(r.at) })),
      next_cursor: rows.length > page.limit && last ? String(last.id) : null,
    };
  }

  async getCommand(orgId: string, serverId: string, commandId: string) {
    const row = await this.hub.findCommand(commandId);
    if (!row || row.server_id !== serverId || (await this.repo.orgIdOf(serverId)) !== orgId) throw new NotFoundError('Command');
    return toCommandDto(row);
  }

  // ---- the local server of `syntra start` --------------------------------------------------

  /** Whether a token still belongs to a server. */
  async tokenIsValid(token: string) {
    return Boolean(await this.repo.byTokenHash(sha256Hex(token)));
  }

  /** Registers this machine in the admin (oldest) organisation; null while no organisation exists yet. */
  async registerLocal(name: string) {
    const orgId = await this.orgs.adminOrgId();
    if (!orgId) return null;
    return this.create(orgId, { userId: null, ip: null, userAgent: 'syntra start' }, { name, tags: ['local'] }, { local: true });
  }
}
