import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import {
  MAX_FRAME_BYTES,
  TERMINAL_CLOSE_CODES,
  TERMINAL_HEADER_BYTES,
  TERMINAL_SUBPROTOCOL,
  TerminalClientMessageSchema,
  TERMINAL_KIND,
  isTerminalFrameOf,
  terminalFrameSessionId,
  type ControlFrameType,
  type PayloadOf,
  type TerminalServerMessage,
} from '@syntra/shared';
import type { Logger } from '../../logger.js';
import { guarded } from '../../lib/guarded.js';
import type { AgentHubPorts } from '../agent-hub/index.js';
import type { AgentLink } from './agent-link.js';
import { CastRecorder, recordingPath } from './asciicast.js';
import { ConsoleConn } from './console-conn.js';
import { TerminalBus, type TerminalBusHeader } from './terminal.bus.js';
import { ticketFromProtocols } from './ticket-protocol.js';
import type { AttachCaller, AttachGrant, TerminalService } from './terminal.service.js';

export interface TerminalRelayOptions {
  /** WebSocket pings to consoles, so proxies never see an idle terminal (default CONSOLE_PING_MS). */
  pingMs?: number;
  /** How often byte counts reach the session row (default 5 s). */
  flushMs?: number;
  /** An exited session may still be reattached this long, to show its last output (default 15 min). */
  graceMs?: number;
}

/**
 * WebSocket pings to consoles: more often than the idle timeouts of common proxies (nginx's
 * proxy_read_timeout is 60 s), so an idle terminal is never cut by one.
 */
export const CONSOLE_PING_MS = 20_000;

/** The hub announces a connection just before its hello_ack; the agent ignores frames until then. */
const AGENT_READY_DELAY_MS = 500;

type Authenticate = (token: string) => Promise<AttachCaller | null>;

/**
 * `GET /api/v1/terminal/:sessionId` (WebSocket; the session ticket in `Sec-WebSocket-Protocol`, see
 * ticket-protocol.ts, or a bearer token): relays between a console and the agent holding the pty. Bytes pass through unchanged (binary frames of PROTOCOL.md); the console's JSON messages
 * become `terminal_resize/ack/close`. When the agent's socket is on another api node, traffic goes
 * through Redis. A console that drops is detached (the agent keeps the pty) and may resume with
 * `?last_seq=`.
 */
export class TerminalRelay {
  readonly nodeId = randomUUID();
  private readonly wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_FRAME_BYTES,
    perMessageDeflate: false,
    handleProtocols: (offered) => (offered.has(TERMINAL_SUBPROTOCOL) ? TERMINAL_SUBPROTOCOL : false),
  });
  private readonly consoles = new Map<string, ConsoleConn>();
  private readonly bus: TerminalBus;
  private timers: NodeJS.Timeout[] = [];
  private readonly opts: Required<TerminalRelayOptions>;

  constructor(
    private readonly terminals: TerminalService,
    private readonly link: AgentLink,
    redis: ConstructorParameters<typeof TerminalBus>[0],
    private readonly authenticate: Authenticate,
    private readonly dataDir: string,
    private readonly logger: Logger,
    options: TerminalRelayOptions = {},
  ) {
    this.bus = new TerminalBus(redis, this.nodeId);
    this.opts = { pingMs: CONSOLE_PING_MS, flushMs: 5_000, graceMs: 15 * 60_000, ...options };
  }

  /** What the agent hub hands the relay: terminal frames and binary output from agents on this node. */
  hubPorts(): Partial<AgentHubPorts> {
    return {
      frames: {
        terminal_opened: (session, f) => this.toConsoleMessage(session.serverId, f.payload.session_id, { type: 'opened', pid: f.payload.pid, resumed: false }),
        terminal_exit: (session, f) => this.fromAgentExit(session.serverId, f.payload),
      },
      binary: (session, data) => this.fromAgentBinary(session.serverId, data),
    };
  }

  get consoleCount() {
    return this.consoles.size;
  }

  async start() {
    await this.bus.start(
      (header, data) => this.fromBus(header, data),
      (serverId) => this.onAgentConnected(serverId),
    );
    const every = (ms: number, fn: () => void) => {
      const t = setInterval(fn, ms);
      t.unref();
      this.timers.push(t);
    };
    every(this.opts.pingMs, () => this.pingAll());
    every(this.opts.flushMs, () => void this.flushAll());
    every(60_000, () => void this.sweepStale());
  }

  async stop() {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    for (const conn of this.consoles.values()) conn.ws.close(1001, 'control plane shutting down');
    await this.flushAll();
    this.consoles.clear();
    await this.bus.stop();
  }

  // ---- console side -------------------------------------------------------------------------

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer) {
    void this.upgrade(req, socket, head).catch((err: unknown) => {
      this.logger.error({ err }, 'terminal upgrade failed');
      socket.destroy();
    });
  }

  private async upgrade(req: IncomingMessage, socket: Duplex, head: Buffer) {
    const url = new URL(req.url ?? '/', 'http://x');
    const sessionId = url.pathname.split('/').pop() ?? '';
    const ticket = ticketFromProtocols(req.headers['sec-websocket-protocol']);
    const lastSeq = Math.max(0, Math.floor(Number(url.searchParams.get('last_seq') ?? '0')) || 0);
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? null;
    const caller = !ticket && bearer ? await this.authenticate(bearer) : null;
    const grant = /^[0-9a-f-]{36}$/i.test(sessionId) ? await this.terminals.authoriseAttach(sessionId, { ticket, caller }) : null;
    if (!grant) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const { row } = grant;
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      ws.on('error', () => undefined);
      // The ticket just used is spent: the console reconnects with this one.
      if (grant.ticket) ws.send(JSON.stringify({ type: 'ticket', ticket: grant.ticket } satisfies TerminalServerMessage));
      const endedLongAgo = row.status === 'ended' && (!row.ended_at || Date.now() - new Date(row.ended_at).getTime() > this.opts.graceMs);
      if (endedLongAgo || (row.status === 'ended' && lastSeq === 0)) {
        ws.close(TERMINAL_CLOSE_CODES.ended, 'session ended');
        return;
      }
      void this.attach(ws, row, lastSeq, grant.credential).catch((err: unknown) => {
        this.logger.error({ err, session_id: row.id }, 'terminal attach failed');
        ws.close(1011, 'internal error');
      });
    });
  }

  private async attach(ws: WebSocket, row: AttachGrant['row'], lastSeq: number, credential: AttachGrant['credential']) {
    const serverId = row.server_id!;
    const recorder = row.recorded ? new CastRecorder(recordingPath(this.dataDir, row.id), row.started_at) : null;
    const conn = new ConsoleConn(ws, row.id, serverId, row.org_id, row.user_id!, recorder);
    conn.lastSeq = lastSeq;
    conn.credential = credential;
    const previous = this.consoles.get(row.id);
    this.consoles.set(row.id, conn);
    if (previous) {
      previous.ws.close(TERMINAL_CLOSE_CODES.replaced, 'the session was opened in another window');
      await this.flush(previous);
    }
    ws.on('pong', () => (conn.alive = true));
    ws.on('message', guarded(this.logger, 'console terminal message', (data: RawData, isBinary: boolean) => this.fromConsole(conn, data, isBinary)));
    ws.on('close', () => void this.onConsoleClose(conn));

    const first = await this.terminals.markOpen(row.id);
    if (first) {
      this.toAgentFrame(serverId, 'terminal_open', { session_id: row.id, cols: row.cols, rows: row.rows, target: row.target });
    } else {
      conn.resumed = true;
      this.toAgentFrame(serverId, 'terminal_attach', { session_id: row.id, last_seq: lastSeq });
    }
  }

  private fromConsole(conn: ConsoleConn, data: RawData, isBinary: boolean) {
    const buf = data as Buffer;
    if (isBinary) {
      // A console writes only to its own session, and only input.
      if (!isTerminalFrameOf(buf, 'input', conn.sessionBytes)) return;
      conn.bytesIn += buf.byteLength - TERMINAL_HEADER_BYTES;
      this.toAgentBinary(conn.serverId, buf);
      return;
    }
    let parsed;
    try {
      parsed = TerminalClientMessageSchema.safeParse(JSON.parse(buf.toString('utf8')));
    } catch {
      parsed = null;
    }
    if (!parsed?.success) return conn.message({ type: 'error', code: 'invalid_message', message: 'expected {type: resize|ack|close}' });
    const msg = parsed.data;
    const session_id = conn.sessionId;
    if (msg.type === 'ack') this.toAgentFrame(conn.serverId, 'terminal_ack', { session_id, seq: msg.seq });
    else if (msg.type === 'resize') {
      conn.recorder?.resize(msg.cols, msg.rows);
      this.toAgentFrame(conn.serverId, 'terminal_resize', { session_id, cols: msg.cols, rows: msg.rows });
    } else this.toAgentFrame(conn.serverId, 'terminal_close', { session_id });
  }

  private async onConsoleClose(conn: ConsoleConn) {
    if (this.consoles.get(conn.sessionId) === conn) {
      this.consoles.delete(conn.sessionId);
      // The agent keeps the pty for its grace period; the console may come back with last_seq.
      if (!conn.exited) this.toAgentFrame(conn.serverId, 'terminal_detach', { session_id: conn.sessionId });
    }
    conn.recorder?.close();
    await this.flush(conn);
  }

  /**
   * Closes consoles whose access is gone (credential revoked or expired, member removed, role or
   * org setting changed), and ends their pty: the same answer a new attach would get.
   */
  async recheck(): Promise<void> {
    await Promise.all(
      [...this.consoles.values()].map(async (conn) => {
        const ok = await this.terminals.mayKeep(conn.sessionId, conn.credential).catch(() => true);
        if (ok || this.consoles.get(conn.sessionId) !== conn) return;
        this.toAgentFrame(conn.serverId, 'terminal_close', { session_id: conn.sessionId });
        conn.ws.close(TERMINAL_CLOSE_CODES.revoked, 'access revoked');
      }),
    );
  }

  private pingAll() {
    void this.recheck().catch((err: unknown) => this.logger.warn({ err }, 'terminal access re-check failed'));
    for (const conn of this.consoles.values()) {
      if (!conn.alive) {
        conn.ws.terminate();
        continue;
      }
      conn.alive = false;
      conn.ws.ping();
    }
  }

  private async flush(conn: ConsoleConn) {
    const { bytesIn, bytesOut } = conn.takeCounts();
    await this.terminals.addBytes(conn.sessionId, bytesIn, bytesOut).catch((err: unknown) => this.logger.warn({ err }, 'terminal byte counts not saved'));
  }

  private async flushAll() {
    await Promise.all([...this.consoles.values()].map((c) => this.flush(c)));
  }

  /** Closes records of sessions nobody can reach any more, so the audit trail has an end for each. */
  async sweepStale() {
    const ids = await this.terminals.stale(10 * 60_000, this.opts.graceMs).catch(() => [] as string[]);
    for (const id of ids) if (!this.consoles.has(id)) await this.endSession(id, null, null);
  }

  // ---- agent side ---------------------------------------------------------------------------

  /**
   * An agent (re)connected: its sessions were detached when its socket dropped. Consoles still
   * connected here resume from what they have seen, once the agent has its hello_ack.
   */
  private onAgentConnected(serverId: string) {
    const conns = [...this.consoles.values()].filter((c) => c.serverId === serverId && !c.exited);
    if (!conns.length) return;
    const t = setTimeout(() => {
      for (const c of conns) if (this.consoles.get(c.sessionId) === c) this.toAgentFrame(serverId, 'terminal_attach', { session_id: c.sessionId, last_seq: c.lastSeq });
    }, AGENT_READY_DELAY_MS);
    t.unref();
  }

  private fromAgentBinary(serverId: string, data: Buffer) {
    // Every output batch passes here: checked and routed without decoding the frame.
    if (data.byteLength < TERMINAL_HEADER_BYTES || data[0] !== TERMINAL_KIND.output) return;
    const sessionId = terminalFrameSessionId(data);
    const conn = this.consoles.get(sessionId);
    if (conn) {
      // An agent writes only to sessions on its own server.
      if (conn.serverId === serverId) conn.output(data);
      return;
    }
    this.bus.publish({ kind: 'to_console_binary', server_id: serverId, session_id: sessionId }, data);
  }

  private fromAgentExit(serverId: string, p: PayloadOf<'terminal_exit'>) {
    const local = this.consoles.has(p.session_id);
    this.toConsoleMessage(serverId, p.session_id, { type: 'exit', exit_code: p.exit_code, signal: p.signal });
    if (local) return;
    // The node holding the console ends the record after its last byte counts; if none does, this one.
    const t = setTimeout(() => void this.endSession(p.session_id, p.exit_code, p.signal), 2000);
    t.unref();
  }

  private async endSession(sessionId: string, exitCode: number | null, signal: string | null) {
    const conn = this.consoles.get(sessionId);
    if (conn) await this.flush(conn);
    await this.terminals.end(sessionId, { exitCode, signal }).catch((err: unknown) => this.logger.warn({ err, session_id: sessionId }, 'terminal end not recorded'));
  }

  private toConsoleMessage(serverId: string, sessionId: string, message: TerminalServerMessage) {
    const conn = this.consoles.get(sessionId);
    if (!conn) return this.bus.publish({ kind: 'to_console_message', server_id: serverId, session_id: sessionId, message });
    if (conn.serverId !== serverId) return;
    if (message.type === 'opened') message = { ...message, resumed: conn.resumed };
    if (message.type === 'exit') {
      conn.exited = true;
      conn.message(message);
      void this.endSession(sessionId, message.exit_code, message.signal).finally(() => conn.ws.close(1000, 'session ended'));
      return;
    }
    conn.message(message);
  }

  private toAgentFrame<T extends ControlFrameType>(serverId: string, type: T, payload: PayloadOf<T>) {
    if (!this.link.sendFrame(serverId, type, payload)) this.bus.publish({ kind: 'to_agent_frame', server_id: serverId, type, payload: payload as Record<string, unknown> });
  }

  private toAgentBinary(serverId: string, data: Buffer) {
    if (!this.link.sendBinary(serverId, data)) this.bus.publish({ kind: 'to_agent_binary', server_id: serverId }, data);
  }

  private fromBus(header: TerminalBusHeader, data: Buffer) {
    switch (header.kind) {
      case 'to_agent_binary':
        this.link.sendBinary(header.server_id, data);
        return;
      case 'to_agent_frame':
        this.link.sendFrame(header.server_id, header.type as ControlFrameType, header.payload as never);
        return;
      case 'to_console_binary': {
        const conn = this.consoles.get(header.session_id);
        if (conn && conn.serverId === header.server_id && isTerminalFrameOf(data, 'output', conn.sessionBytes)) conn.output(data);
        return;
      }
      case 'to_console_message':
        if (this.consoles.has(header.session_id)) this.toConsoleMessage(header.server_id, header.session_id, header.message as TerminalServerMessage);
        return;
    }
  }
}
