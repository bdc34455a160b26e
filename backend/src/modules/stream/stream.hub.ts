import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Redis } from 'ioredis';
import { WebSocket, WebSocketServer } from 'ws';
import {
  STREAM_BEARER_PROTOCOL_PREFIX,
  StreamClientMessageSchema,
  parseStreamEvent,
  effectivePermissions,
  type StreamEvent,
  type StreamServerMessage,
} from '@syntra/shared';
import type { Logger } from '../../logger.js';
import type { AuthService, Principal } from '../auth/index.js';
import type { OrgService } from '../orgs/index.js';
import { isSameOrigin, sessionCookieFromHeader } from '../../http/session-cookies.js';
import { streamChannel } from './stream.publisher.js';

interface Client {
  ws: WebSocket;
  /** Kept to re-check the credential: a socket outlives neither its token nor its membership. */
  token: string;
  principal: Principal;
  /** org id → event types wanted (null: all). */
  subscriptions: Map<string, Set<string> | null>;
  alive: boolean;
}

const PING_MS = 30_000;
/** Policy violation: the credential was revoked or expired, or the socket is no longer allowed. */
const CLOSE_CREDENTIAL_GONE = 1008;
const MAX_CLIENT_MESSAGE = 16 * 1024;

function bearerOf(req: IncomingMessage): { token: string | null; protocol: string | null } {
  const header = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  if (header?.[1]) return { token: header[1], protocol: null };
  const protocols = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
  const offered = protocols.find((p) => p.startsWith(STREAM_BEARER_PROTOCOL_PREFIX));
  return { token: offered ? offered.slice(STREAM_BEARER_PROTOCOL_PREFIX.length) : null, protocol: offered ?? null };
}

function reject(socket: Duplex, status: 401 | 403, message: string) {
  const code = status === 401 ? 'UNAUTHORIZED' : 'FORBIDDEN';
  socket.end(`HTTP/1.1 ${status} ${status === 401 ? 'Unauthorized' : 'Forbidden'}\r\nConnection: close\r\nContent-Type: application/json\r\n\r\n${JSON.stringify({ success: false, error: { code, message } })}`);
}

/**
 * `GET /api/v1/stream`: console WebSocket. Same bearer auth as the REST API (header, or the
 * `syntra.bearer.<token>` subprotocol for browsers); a client subscribes per organisation and gets
 * only what `servers.read` allows there. Every ping round re-checks each socket's credential
 * (revoked, expired) and its subscriptions (membership, role): what a REST call would be refused,
 * the socket stops receiving.
 */
export class StreamHub {
  private readonly wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_CLIENT_MESSAGE,
    handleProtocols: (protocols) => [...protocols].find((p) => p.startsWith(STREAM_BEARER_PROTOCOL_PREFIX)) ?? false,
  });
  private readonly clients = new Set<Client>();
  private readonly orgClients = new Map<string, Set<Client>>();
  private subscriber: Redis | null = null;
  private pinger: NodeJS.Timeout | null = null;

  constructor(
    private readonly redis: Redis,
    private readonly auth: AuthService,
    private readonly orgs: OrgService,
    private readonly logger: Logger,
    private readonly publicUrl: string,
  ) {}

  async start(): Promise<void> {
    this.subscriber = this.redis.duplicate();
    this.subscriber.on('message', (channel: string, message: string) => this.dispatch(channel, message));
    this.pinger = setInterval(() => this.ping(), PING_MS);
    this.pinger.unref();
  }

  async stop(): Promise<void> {
    if (this.pinger) clearInterval(this.pinger);
    for (const c of this.clients) c.ws.close(1001, 'server shutting down');
    this.clients.clear();
    this.orgClients.clear();
    await this.subscriber?.quit().catch(() => undefined);
    this.subscriber = null;
  }

  get clientCount() {
    return this.clients.size;
  }

  async handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const bearer = bearerOf(req).token;
    // The web console's HttpOnly session cookie rides along on its own, so a page on another
    // origin could open this socket with it (cross-site WebSocket hijacking): only this console's
    // origin may use the cookie.
    const cookie = bearer ? null : sessionCookieFromHeader(req.headers.cookie);
    if (cookie && !isSameOrigin(req.headers.origin ?? '', req.headers.host, this.publicUrl)) {
      return reject(socket, 403, 'This origin may not use the console session');
    }
    const token = bearer ?? cookie;
    const principal = token ? await this.auth.authenticate(token).catch(() => null) : null;
    if (!principal) return reject(socket, 401, token ? 'Invalid or expired token' : 'Authentication required');
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, token!, principal));
  }

  private accept(ws: WebSocket, token: string, principal: Principal) {
    const client: Client = { ws, token, principal, subscriptions: new Map(), alive: true };
    this.clients.add(client);
    ws.on('pong', () => (client.alive = true));
    ws.on('message', (data, isBinary) => {
      if (isBinary) return this.send(client, { type: 'error', code: 'VALIDATION_ERROR', message: 'text frames only' });
      void this.onMessage(client, data.toString()).catch((err: unknown) => this.logger.warn({ err }, 'stream message failed'));
    });
    ws.on('close', () => this.remove(client));
    ws.on('error', () => this.remove(client));
  }

  private async onMessage(client: Client, text: string) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return this.send(client, { type: 'error', code: 'VALIDATION_ERROR', message: 'not JSON' });
    }
    const parsed = StreamClientMessageSchema.safeParse(json);
    if (!parsed.success) return this.send(client, { type: 'error', code: 'VALIDATION_ERROR', message: parsed.error.issues[0]?.message ?? 'invalid message' });
    const msg = parsed.data;
    if (msg.type === 'ping') return this.send(client, { type: 'pong' });
    if (msg.type === 'unsubscribe') {
      this.unsubscribe(client, msg.org_id);
      return this.send(client, { type: 'unsubscribed', org_id: msg.org_id });
    }
    const allowed = await this.canRead(client.principal, msg.org_id);
    if (!allowed) return this.send(client, { type: 'error', code: allowed === null ? 'NOT_FOUND' : 'FORBIDDEN', message: 'Organisation not found', org_id: msg.org_id });
    await this.subscribe(client, msg.org_id, msg.events ? new Set(msg.events) : null);
    this.send(client, { type: 'subscribed', org_id: msg.org_id });
  }

  /** null: not a member (reported as not found, like the REST API); false: the role or token may not read. */
  private async canRead(p: Principal, orgId: string): Promise<boolean | null> {
    if (p.tokenOrgId && p.tokenOrgId !== orgId) return null;
    const role = await this.orgs.roleOf(orgId, p.user.id);
    if (!role) return null;
    return effectivePermissions(role, p.scopes).has('servers.read');
  }

  private async subscribe(client: Client, orgId: string, events: Set<string> | null) {
    client.subscriptions.set(orgId, events);
    let set = this.orgClients.get(orgId);
    if (!set) {
      set = new Set();
      this.orgClients.set(orgId, set);
      await this.subscriber?.subscribe(streamChannel(orgId));
    }
    set.add(client);
  }

  private unsubscribe(client: Client, orgId: string) {
    client.subscriptions.delete(orgId);
    const set = this.orgClients.get(orgId);
    if (!set) return;
    set.delete(client);
    if (set.size === 0) {
      this.orgClients.delete(orgId);
      void this.subscriber?.unsubscribe(streamChannel(orgId)).catch(() => undefined);
    }
  }

  private remove(client: Client) {
    if (!this.clients.delete(client)) return;
    for (const orgId of [...client.subscriptions.keys()]) this.unsubscribe(client, orgId);
  }

  private dispatch(channel: string, message: string) {
    let list: unknown;
    try {
      list = JSON.parse(message);
    } catch {
      return;
    }
    if (!Array.isArray(list)) return;
    for (const raw of list) {
      const event = parseStreamEvent(raw);
      if (!event || streamChannel(event.org_id) !== channel) continue;
      for (const client of this.orgClients.get(event.org_id) ?? []) {
        const filter = client.subscriptions.get(event.org_id);
        if (filter && !filter.has(event.type)) continue;
        this.sendEvent(client, event);
      }
    }
  }

  private sendEvent(client: Client, event: StreamEvent) {
    if (client.ws.readyState === WebSocket.OPEN) client.ws.send(JSON.stringify(event));
  }

  private send(client: Client, msg: StreamServerMessage) {
    if (client.ws.readyState === WebSocket.OPEN) client.ws.send(JSON.stringify(msg));
  }

  /**
   * Drops what a socket may no longer see: the whole socket when its token or session is gone,
   * else each organisation it may no longer read (told with an error naming the org).
   */
  async recheck(): Promise<void> {
    await Promise.all(
      [...this.clients].map(async (client) => {
        const principal = await this.auth.authenticate(client.token).catch(() => undefined);
        if (principal === undefined) return; // the database is unreachable: keep the socket, try next round
        if (!principal) {
          client.ws.close(CLOSE_CREDENTIAL_GONE, 'credential revoked or expired');
          this.remove(client);
          return;
        }
        client.principal = principal;
        for (const orgId of [...client.subscriptions.keys()]) {
          const allowed = await this.canRead(principal, orgId).catch(() => true);
          if (allowed) continue;
          this.unsubscribe(client, orgId);
          this.send(client, { type: 'error', code: allowed === null ? 'NOT_FOUND' : 'FORBIDDEN', message: 'No longer allowed to read this organisation', org_id: orgId });
        }
      }),
    );
  }

  private ping() {
    void this.recheck().catch((err: unknown) => this.logger.warn({ err }, 'stream credential re-check failed'));
    for (const c of this.clients) {
      if (!c.alive) {
        c.ws.terminate();
        this.remove(c);
        continue;
      }
      c.alive = false;
      c.ws.ping();
    }
  }
}
