import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import type { Knex } from 'knex';
import { TERMINAL_WS_PATH_PREFIX, effectivePermissions, roleCan, type OpenTerminalBody, type OrgRole, type TerminalSession, type TokenScope } from '@syntra/shared';
import { AgentOfflineError, ForbiddenError, NotFoundError } from '../../errors.js';
import { iso } from '../../lib/iso.js';
import type { AuditService } from '../audit/index.js';
import type { OrgService } from '../orgs/index.js';
import type { ServerService } from '../servers/index.js';
import type { ServiceService } from '../services/index.js';
import { recordingPath, writeCastHeader } from './asciicast.js';
import { TerminalRepo, type TerminalSessionRow } from './terminal.repo.js';

/** A session or API token, by its row id. */
export interface AttachCredential {
  kind: 'session' | 'api_token';
  id: string;
}

export interface TerminalActor {
  userId: string;
  ip: string | null;
  userAgent: string | null;
  /** What the session is opened with: its tickets are only as good as this credential. */
  credential?: AttachCredential | undefined;
}

/** Whether a credential still authenticates (not revoked, not expired); the auth module answers. */
export type CredentialCheck = (credential: AttachCredential) => Promise<boolean>;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const sameHash = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
const newTicket = () => randomBytes(32).toString('base64url');

/**
 * A ticket is replaced on every attach. The one used stays valid this long, in case the console's
 * socket dropped before the new ticket reached it (it is the first message on the socket).
 */
export const TICKET_OVERLAP_MS = 60_000;

/** A bearer credential attaching without a ticket: a session (`scopes` null) or an API token. */
export interface AttachCaller {
  userId: string;
  scopes: TokenScope[] | null;
  tokenOrgId: string | null;
  credential: AttachCredential;
}

export interface AttachGrant {
  row: TerminalSessionRow;
  /** What the attached socket's access rests on: the opener's credential (ticket) or the bearer's. */
  credential: AttachCredential | null;
  /** The console's ticket from now on, when it attached with one. */
  ticket: string | null;
}

function openerOf(row: TerminalSessionRow): AttachCredential | null {
  return row.credential_kind && row.credential_id ? { kind: row.credential_kind, id: row.credential_id } : null;
}

/** Terminal sessions as records: opening (role, org setting, audit), access on reconnect, history, recordings. */
export interface TerminalServiceDeps {
  db: Knex;
  orgs: OrgService;
  servers: ServerService;
  services: ServiceService;
  audit: AuditService;
  dataDir: string;
  /** Whether the credential that opened a session still authenticates (the auth module answers). */
  credentialAlive: CredentialCheck;
}

export class TerminalService {
  private readonly repo: TerminalRepo;
  private readonly orgs: OrgService;
  private readonly servers: ServerService;
  private readonly services: ServiceService;
  private readonly audit: AuditService;
  private readonly dataDir: string;
  private readonly credentialAlive: CredentialCheck;

  constructor(deps: TerminalServiceDeps) {
    ({ orgs: this.orgs, servers: this.servers, services: this.services, audit: this.audit, dataDir: this.dataDir, credentialAlive: this.credentialAlive } = deps);
    this.repo = new TerminalRepo(deps.db);
  }

  /** The relay's bookkeeping: first attach turns `pending` into `open` (true for exactly one caller). */
  markOpen(sessionId: string) {
    return this.repo.markOpen(sessionId);
  }

  addBytes(sessionId: string, bytesIn: number, bytesOut: number) {
    return this.repo.addBytes(sessionId, bytesIn, bytesOut);
  }

  /** Sessions never attached within `pendingMs`, or silent for `silentMs`: the relay ends them. */
  stale(pendingMs: number, silentMs: number) {
    return this.repo.stale(pendingMs, silentMs);
  }

  orgIdOfSession(sessionId: string) {
    return this.repo.orgIdOf(sessionId);
  }

  /** The role table says who may open terminals; an org may further restrict them to admins. */
  async assertMayOpen(orgId: string, role: OrgRole) {
    if (!roleCan(role, 'terminal.open')) throw new ForbiddenError(`The ${role} role cannot open terminals`);
    if ((await this.orgs.terminalAdminsOnly(orgId)) && role !== 'owner' && role !== 'admin') {
      throw new ForbiddenError('This organisation allows terminals to owners and admins only');
    }
  }

  /**
   * The local server is the control-plane machine itself: a shell there reaches the data dir and
   * its secrets, so only the owners and admins of the admin organisation get one.
   */
  private async assertMayOpenOn(orgId: string, role: OrgRole, server: { is_local: boolean }) {
    if (!server.is_local) return;
    if (!(await this.orgs.isAdminOrg(orgId))) throw new NotFoundError('Server');
    if (role !== 'owner' && role !== 'admin') throw new ForbiddenError("Terminals on the control plane's own machine are for owners and admins only");
  }

  async open(orgId: string, role: OrgRole, actor: TerminalActor, serverId: string, body: OpenTerminalBody) {
    await this.assertMayOpen(orgId, role);
    const server = await this.servers.findInOrg(orgId, serverId);
    if (!server) throw new NotFoundError('Server');
    await this.assertMayOpenOn(orgId, role, server);
    if (body.target.kind === 'service') {
      // A service terminal must name a service of this organisation that runs on this server.
      const onServer = /^[0-9a-f-]{36}$/i.test(body.target.service_id) && (await this.services.isOnServer(orgId, serverId, body.target.service_id));
      if (!onServer) throw new NotFoundError('Service on this server');
    }
    if (server.status !== 'online') throw new AgentOfflineError();
    const id = randomUUID();
    const ticket = newTicket();
    await this.repo.insert({
      id,
      org_id: orgId,
      server_id: serverId,
      server_name: server.name,
      user_id: actor.userId,
      target: body.target,
      cols: body.cols,
      rows: body.rows,
      ticket_hash: sha256(ticket),
      recorded: body.record,
      ip: actor.ip,
      credential_kind: actor.credential?.kind ?? null,
      credential_id: actor.credential?.id ?? null,
    });
    if (body.record) writeCastHeader(recordingPath(this.dataDir, id), body.cols, body.rows);
    await this.audit.record({
      orgId,
      actorId: actor.userId,
      action: 'terminal.open',
      targetType: 'server',
      targetId: serverId,
      ip: actor.ip,
      userAgent: actor.userAgent,
      metadata: { session_id: id, target: body.target.kind, ...(body.target.kind === 'service' ? { service_id: body.target.service_id } : {}), recorded: body.record },
    });
    return { session_id: id, ws_path: `${TERMINAL_WS_PATH_PREFIX}${id}`, ticket };
  }

  /**
   * Who may attach a console socket: the user who opened the session (by ticket or their own
   * token), while they still may open terminals in that organisation. Without a ticket the bearer
   * must be able to open terminals there itself: an API token needs the `admin` scope and, when
   * bound, that organisation (as POST /servers/:id/terminal would ask). A ticket works for one
   * attach: the grant carries the next one (see TICKET_OVERLAP_MS).
   */
  async authoriseAttach(sessionId: string, cred: { ticket: string | null; caller: AttachCaller | null }): Promise<AttachGrant | null> {
    const row = await this.repo.find(sessionId);
    if (!row || !row.user_id || !row.server_id) return null;
    const used = cred.ticket ? sha256(cred.ticket) : null;
    const isCurrent = used !== null && sameHash(used, row.ticket_hash);
    const isPrevious = used !== null && !isCurrent && row.prev_ticket_hash !== null && (row.prev_ticket_expires_at?.getTime() ?? 0) > Date.now() && sameHash(used, row.prev_ticket_hash);
    const bearer = cred.caller;
    const ok = used ? isCurrent || isPrevious : bearer !== null && bearer.userId === row.user_id && (!bearer.tokenOrgId || bearer.tokenOrgId === row.org_id);
    if (!ok) return null;
    const role = await this.orgs.roleOf(row.org_id, row.user_id);
    if (!role) return null;
    if (!used && !effectivePermissions(role, bearer!.scopes).has('terminal.open')) return null;
    try {
      await this.assertMayOpen(row.org_id, role);
      const server = await this.servers.findInOrg(row.org_id, row.server_id);
      if (!server) return null;
      await this.assertMayOpenOn(row.org_id, role, server);
    } catch {
      return null;
    }
    if (!used) return { row, ticket: null, credential: bearer!.credential };
    // A ticket is only as good as the credential that opened the session.
    const opener = openerOf(row);
    if (opener && !(await this.credentialAlive(opener))) return null;
    const ticket = newTicket();
    // Attached with the current ticket: it becomes the previous one. With the previous one (the
    // console never got the current): that one keeps its expiry and the unseen current is dropped.
    const rotated = isCurrent
      ? await this.repo.rotateTicket(row.id, row.ticket_hash, sha256(ticket), used, new Date(Date.now() + TICKET_OVERLAP_MS))
      : await this.repo.rotateTicket(row.id, row.ticket_hash, sha256(ticket), row.prev_ticket_hash, row.prev_ticket_expires_at);
    return rotated ? { row, ticket, credential: opener } : null;
  }

  /**
   * Whether an attached console may stay: its credential still authenticates and the session's
   * user may still open terminals in that organisation (membership, role, admins-only setting).
   */
  async mayKeep(sessionId: string, credential: AttachCredential | null): Promise<boolean> {
    const row = await this.repo.find(sessionId);
    if (!row?.user_id) return false;
    if (credential && !(await this.credentialAlive(credential))) return false;
    const role = await this.orgs.roleOf(row.org_id, row.user_id);
    if (!role) return false;
    return this.assertMayOpen(row.org_id, role).then(
      () => true,
      () => false,
    );
  }

  /** Ends the record once (exit, close, or the agent gone); writes the closing audit entry. */
  async end(sessionId: string, exit: { exitCode: number | null; signal: string | null }) {
    const row = await this.repo.end(sessionId, exit);
    if (!row) return;
    await this.audit.record({
      orgId: row.org_id,
      actorId: row.user_id,
      action: 'terminal.end',
      targetType: 'server',
      targetId: row.server_id ?? undefined,
      metadata: { session_id: row.id, exit_code: row.exit_code, signal: row.exit_signal, bytes_in: Number(row.bytes_in), bytes_out: Number(row.bytes_out) },
    });
  }

  async get(orgId: string, sessionId: string): Promise<TerminalSession> {
    const row = await this.repo.findWithUser(sessionId);
    if (!row || row.org_id !== orgId) throw new NotFoundError('Terminal session');
    return toDto(row);
  }

  async list(orgId: string, serverId: string, limit: number) {
    const rows = await this.repo.list(orgId, serverId, limit);
    return { items: rows.map(toDto), next_cursor: null };
  }

  /** The asciicast v2 text of a recorded session: its owner or the org's admins. */
  async recording(orgId: string, role: OrgRole, userId: string, sessionId: string): Promise<string> {
    const row = await this.repo.find(sessionId);
    if (!row || row.org_id !== orgId) throw new NotFoundError('Terminal session');
    if (row.user_id !== userId && role !== 'owner' && role !== 'admin') throw new ForbiddenError('Only admins replay other people\'s sessions');
    const file = recordingPath(this.dataDir, sessionId);
    if (!row.recorded || !fs.existsSync(file)) throw new NotFoundError('Recording');
    return fs.promises.readFile(file, 'utf8');
  }
}

function toDto(row: TerminalSessionRow & { user_email: string | null }): TerminalSession {
  return {
    id: row.id,
    server_id: row.server_id,
    user: row.user_id && row.user_email ? { id: row.user_id, email: row.user_email } : null,
    target: row.target,
    status: row.status,
    started_at: iso(row.started_at),
    ended_at: iso(row.ended_at),
    bytes_in: Number(row.bytes_in),
    bytes_out: Number(row.bytes_out),
    exit_code: row.exit_code,
    exit_signal: row.exit_signal,
    recorded: row.recorded,
  };
}
