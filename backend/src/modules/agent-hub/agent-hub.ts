import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Knex } from 'knex';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import {
  CLOSE_CODES,
  MAX_FRAME_BYTES,
  PROTOCOL_VERSION,
  parseFrame,
  type AgentConfig,
  type AgentFrameType,
  type AgentHello,
  type AnyFrameOf,
  type Deploy,
} from '@syntra/shared';
import { sha256Hex } from '../../lib/crypto.js';
import type { SecretBox } from '../../lib/secret-box.js';
import type { Logger } from '../../logger.js';
import { guarded } from '../../lib/guarded.js';
import type { ServerMetricsStore } from '../server-metrics/index.js';
import type { AgentServer, ServerPresence } from '../servers/index.js';
import type { StreamPublisher } from '../stream/index.js';
import { AgentSession } from './agent-session.js';
import { AnswerWaiters } from './answer-waiters.js';
import { CommandsRepo, type CommandRow } from './commands.repo.js';
import type { AgentFrameHandler, AgentHubPorts } from './frame-handlers.js';
import { HeartbeatBatcher } from './heartbeat-batcher.js';
import { type BusMessage, type CommandAnswer, HubBus } from './hub-bus.js';
import { TelemetryIntake } from './telemetry-intake.js';
import type { Redis } from 'ioredis';

export interface AgentHubOptions {
  heartbeatSeconds: number;
  telemetryBatchSeconds: number;
  telemetryBufferMaxMb: number;
  helloTimeoutMs: number;
}

export interface AgentHubDeps {
  db: Knex;
  redis: Redis;
  metrics: ServerMetricsStore;
  stream: StreamPublisher;
  logger: Logger;
  options: AgentHubOptions;
  box: SecretBox;
  /** The servers module's side of an agent's presence (status, heartbeats, telemetry sequence). */
  presence: ServerPresence;
  /**
   * The other modules' side of the hub (hub ⇄ deployments is a cycle: they send through the hub, it
   * hands them agents' reports). Called once, when the first agent or frame needs it — after every
   * module is built; `buildServices` constructs everything before anything runs.
   */
  ports: () => AgentHubPorts;
}

/** How long host samples are kept (the RetentionDays of their rows). */
export const HOST_METRICS_RETENTION_DAYS = 14;

function ipOrNull(ip: string | null) {
  return ip && ip.length <= 45 ? ip : null;
}

/**
 * Frames handled one after another per lane. A deployment's output and its status share one: the
 * agent sends its last log lines before the status, and a `running` stored before "traffic switched"
 * showed a finished deployment with its log cut short (seen in a fresh-clone CI). Other types keep
 * lanes of their own, so one slow kind does not hold up the rest.
 */
const DEPLOY_LANE = new Set(['log_stream', 'build_log', 'build_result', 'deploy_status']);
const laneOf = (type: string) => (DEPLOY_LANE.has(type) ? 'deploy' : type);

/**
 * The agent hub: `GET /agent/ws`. Authenticates by token hash, enforces the first-frame rule and
 * close codes, validates every frame, batches liveness, delivers commands (through Redis when the
 * socket lives on another api node) and redelivers unanswered ones on reconnect.
 */
export class AgentHub {
  readonly nodeId = randomUUID();
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES, perMessageDeflate: false });
  private readonly sessions = new Map<string, AgentSession>();
  /** The hub's own frames; the rest go to the ports. */
  private readonly handlers = new Map<string, AgentFrameHandler>();
  private readonly telemetry: TelemetryIntake;
  private readonly waiters = new AnswerWaiters();
  private readonly resolvePorts: () => AgentHubPorts;
  private resolvedPorts: AgentHubPorts | null = null;
  private readonly bus: HubBus;
  private readonly commands: CommandsRepo;
  readonly status: ServerPresence;
  readonly batcher: HeartbeatBatcher;
  private timers: NodeJS.Timeout[] = [];
  private started = false;
  /** Counters for the bench and /metrics. */
  readonly counters = { framesIn: 0, heartbeats: 0, malformed: 0, commandsSent: 0 };

  private readonly metrics: ServerMetricsStore;
  private readonly logger: Logger;
  readonly options: AgentHubOptions;

  constructor({ db, redis, metrics, stream, logger, options, box, presence, ports }: AgentHubDeps) {
    this.metrics = metrics;
    this.logger = logger;
    this.options = options;
    this.resolvePorts = ports;
    this.bus = new HubBus(redis);
    this.commands = new CommandsRepo(db, box);
    this.status = presence;
    this.batcher = new HeartbeatBatcher(metrics, stream, presence, logger);
    this.handlers.set('heartbeat', (s, f) => this.onHeartbeat(s, f as AnyFrameOf<'heartbeat'>));
    this.handlers.set('command_response', (s, f) => this.onCommandResponse(s, f as AnyFrameOf<'command_response'>));
    this.telemetry = new TelemetryIntake(db, metrics, logger, presence, () => this.ports.telemetry);
    this.handlers.set('telemetry_batch', (s, f) => this.telemetry.take(s, f as AnyFrameOf<'telemetry_batch'>));
  }

  get agentConfig(): AgentConfig {
    return {
      heartbeat_interval_seconds: this.options.heartbeatSeconds,
      telemetry_batch_interval_seconds: this.options.telemetryBatchSeconds,
      telemetry_buffer_max_mb: this.options.telemetryBufferMaxMb,
      log_level: 'info',
    };
  }

  get connectedCount() {
    return this.sessions.size;
  }

  private get ports(): AgentHubPorts {
    return (this.resolvedPorts ??= this.resolvePorts());
  }

  private handlerFor(type: AgentFrameType): AgentFrameHandler | undefined {
    return this.handlers.get(type) ?? (this.ports.frames[type] as AgentFrameHandler | undefined);
  }

  /** The agent socket of a server when this node holds it (terminal traffic skips the command table). */
  localSession(serverId: string): AgentSession | undefined {
    const s = this.sessions.get(serverId);
    return s?.open ? s : undefined;
  }

  // ---- lifecycle ---------------------------------------------------------------------------

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    await this.bus.start((msg) => void this.onBus(msg).catch((err: unknown) => this.logger.warn({ err, msg }, 'hub bus message failed')));
    const hb = this.options.heartbeatSeconds * 1000;
    const flushMs = Math.max(50, Math.min(2000, hb / 3));
    const every = (ms: number, fn: () => Promise<unknown>) => {
      const t = setInterval(() => void fn().catch((err: unknown) => this.logger.warn({ err }, 'hub timer failed')), ms);
      t.unref();
      this.timers.push(t);
    };
    every(flushMs, () => this.batcher.flush());
    every(Math.max(100, hb / 2), () => this.status.sweepSilent(this.options.heartbeatSeconds * 3));
    every(60_000, () => this.commands.expireOld());
    // Host metrics expire by themselves: ClickHouse's TTL (each row carries HOST_METRICS_RETENTION_DAYS).
  }

  /** Stops accepting, closes sockets with 1001 (agents reconnect elsewhere), writes what is pending. */
  async stop(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    for (const s of this.sessions.values()) s.close(1001, 'control plane shutting down');
    for (const c of this.wss.clients) c.terminate();
    this.sessions.clear();
    await this.batcher.flush();
    await this.bus.stop();
    this.started = false;
  }

  // ---- connection --------------------------------------------------------------------------

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    const token = match?.[1] ?? null;
    void (async () => {
      const server = token ? await this.status.byAgentTokenHash(sha256Hex(token)) : undefined;
      this.wss.handleUpgrade(req, socket, head, (ws) => {
        if (!server) {
          ws.close(CLOSE_CODES.invalidToken, token ? 'invalid token' : 'missing token');
          return;
        }
        this.awaitHello(ws, server);
      });
    })().catch((err: unknown) => {
      this.logger.error({ err }, 'agent upgrade failed');
      socket.destroy();
    });
  }

  private awaitHello(ws: WebSocket, server: AgentServer) {
    const timer = setTimeout(() => ws.close(CLOSE_CODES.firstFrameNotHello, 'no agent_hello'), this.options.helloTimeoutMs);
    ws.on('error', () => undefined);
    ws.once('close', () => clearTimeout(timer));
    ws.once('message', guarded(this.logger, 'agent hello', (data: RawData, isBinary: boolean) => {
      clearTimeout(timer);
      if (isBinary) return ws.close(CLOSE_CODES.firstFrameNotHello, 'first frame must be agent_hello');
      const text = data.toString();
      const parsed = parseFrame(text, 'agent');
      if (parsed.ok && parsed.frame.type !== 'agent_hello') return ws.close(CLOSE_CODES.firstFrameNotHello, 'first frame must be agent_hello');
      if (!parsed.ok) {
        if (parsed.type !== 'agent_hello') return ws.close(CLOSE_CODES.firstFrameNotHello, 'first frame must be agent_hello');
        return ws.close(CLOSE_CODES.invalidHello, `invalid agent_hello: ${parsed.message}`.slice(0, 120));
      }
      const hello = parsed.frame.payload as AgentHello;
      if (hello.protocol !== PROTOCOL_VERSION) return ws.close(CLOSE_CODES.unsupportedProtocol, `protocol ${hello.protocol} is not supported; this control plane speaks ${PROTOCOL_VERSION}`);
      void this.accept(ws, server, hello).catch((err: unknown) => {
        this.logger.error({ err, server_id: server.id }, 'agent hello failed');
        ws.close(1011, 'internal error');
      });
    }, () => ws.terminate()));
  }

  private async accept(ws: WebSocket, server: AgentServer, hello: AgentHello) {
    const facts = {
      agent_id: hello.agent_id,
      agent_version: hello.version,
      runtime: hello.runtime,
      runtime_version: hello.runtime_version,
      os_name: hello.os.name,
      os_version: hello.os.version,
      arch: hello.arch,
      hostname: hello.network.hostname,
      public_ip: ipOrNull(hello.network.public_ip),
      private_ip: ipOrNull(hello.network.private_ip),
      cpu_cores: hello.resources.cpu_cores,
      memory_mb: hello.resources.memory_total_mb,
      disk_gb: Math.round(hello.resources.disk_total_gb),
    };
    const previous = this.sessions.get(server.id);
    const current = await this.status.markConnected(server.id, server.agent_token_hash, facts, previous ? 'reconnected' : 'agent_connected');
    if (!current) return ws.close(CLOSE_CODES.revoked, 'token revoked');
    if (ws.readyState !== ws.OPEN) return;

    const session = new AgentSession(ws, server.id, server.org_id, current.name);
    const replaced = this.sessions.get(server.id);
    this.sessions.set(server.id, session);
    replaced?.close(CLOSE_CODES.replaced, 'replaced by a newer connection');
    ws.on('message', guarded(this.logger, 'agent frame', (data: RawData, isBinary: boolean) => this.onMessage(session, data, isBinary)));
    ws.on('close', (code) => this.onClose(session, code));
    await this.bus.publish({ kind: 'connected', server_id: server.id, connection_id: session.connectionId });

    const [deployments, builds, commands] = await Promise.all([this.ports.pendingDeployments(server.id), this.ports.pendingBuilds(server.id), this.commands.claimUnanswered(server.id)]);
    session.send('hello_ack', {
      server_id: server.id,
      accepted: true,
      server_name: current.name,
      org_id: server.org_id,
      config: this.agentConfig,
      pending_deployments: deployments satisfies Deploy[],
      pending_commands: commands.map((c) => ({ type: c.type, payload: c.payload })),
      pending_builds: builds,
      telemetry_acked_seq: current.telemetryAckedSeq,
    });
    this.logger.info({ server_id: server.id, agent_version: hello.version, redelivered: commands.length }, 'agent connected');
  }

  private onClose(session: AgentSession, code: number) {
    if (this.sessions.get(session.serverId) !== session) return;
    this.sessions.delete(session.serverId);
    // A graceful agent shutdown says so at once; anything else waits for the missed-heartbeat sweep,
    // so a control-plane restart or a network blip does not flap the status.
    if (code === 1000) void this.status.markOffline(session.serverId, 'agent_shutdown').catch(() => undefined);
  }

  private onMessage(session: AgentSession, data: RawData, isBinary: boolean) {
    this.counters.framesIn += 1;
    if (isBinary) {
      // Terminal bytes go straight through (no promise per keystroke); as a sign of life the
      // agent's heartbeats, which keep coming during a terminal session, are enough.
      this.ports.binary?.(session, data as Buffer);
      return;
    }
    this.batcher.touch(session.serverId, session.orgId, null);
    const parsed = parseFrame(data.toString(), 'agent');
    if (!parsed.ok) {
      this.counters.malformed += 1;
      session.replyError(parsed.id, parsed.code, parsed.message);
      return;
    }
    const frame = parsed.frame;
    if (frame.type === 'agent_hello') return session.replyError(frame.id, 'invalid_payload', 'agent_hello was already received');
    // A deploy_status answers the deploy frame it names: it is not redelivered again.
    if (frame.type === 'deploy_status') {
      const { request_id, status, message } = frame.payload;
      void this.commands.answer(request_id, session.serverId, { ok: status !== 'failed', data: { status }, error: status === 'failed' ? { code: 'deploy_failed', message: message ?? 'deploy failed' } : null }).catch(() => undefined);
    }
    // A build_result settles every copy of that build sent to this server (and drops their sealed keys).
    if (frame.type === 'build_result') void this.commands.settleBuilds(session.serverId, frame.payload.deployment_id).catch(() => undefined);
    const handler = this.handlerFor(frame.type);
    if (!handler) return this.logger.debug({ type: frame.type, server_id: session.serverId }, 'agent frame without handler');
    void session.inOrder(laneOf(frame.type), () => handler(session, frame)).catch((err: unknown) => {
      this.logger.error({ err, type: frame.type, server_id: session.serverId }, 'agent frame handler failed');
      session.replyError(frame.id, 'command_failed', 'the control plane could not process this frame');
    });
  }

  private onHeartbeat(session: AgentSession, frame: AnyFrameOf<'heartbeat'>) {
    this.counters.heartbeats += 1;
    this.batcher.touch(session.serverId, session.orgId, frame.payload.resources, new Date(), frame.payload.services);
    session.send('pong', {}, frame.id);
  }

  /**
   * A waiting caller is answered at once (here or, through Redis, on its node) while the answer is
   * stored; should the store fail, the command is redelivered and the agent's journal answers again.
   */
  private async onCommandResponse(session: AgentSession, frame: AnyFrameOf<'command_response'>) {
    const { request_id, ok, data, error } = frame.payload;
    const answer: CommandAnswer = { ok, data, error: error ?? null, at: new Date().toISOString() };
    this.waiters.wake(request_id, answer);
    await Promise.all([
      this.commands.answer(request_id, session.serverId, answer),
      this.bus.publish({ kind: 'answered', command_id: request_id, answer }),
    ]);
  }

  // ---- commands ----------------------------------------------------------------------------

  /**
   * Queues a frame for a server's agent and delivers it wherever its socket is. With `waitMs`,
   * resolves once answered or when the wait ends (the command then stays queued). `secretKeys` of
   * the payload are stored sealed (see CommandsRepo.insert).
   */
  async send(input: { id?: string; serverId: string; type: CommandRow['type']; name: string | null; payload: (requestId: string) => Record<string, unknown>; secretKeys?: readonly string[]; createdBy: string | null; waitMs: number; online: boolean }): Promise<CommandRow> {
    const id = input.id ?? randomUUID();
    const payload = input.payload(id);
    const answered = input.waitMs > 0 && input.online ? this.waiters.wait(id, input.waitMs) : null;
    // A socket on this node: stored as delivered and sent, one write instead of insert + claim.
    const local = this.sessions.get(input.serverId);
    const row = await this.commands.insert({ id, serverId: input.serverId, type: input.type, name: input.name, payload, secretKeys: input.secretKeys, createdBy: input.createdBy, delivered: Boolean(local?.open) });
    if (row.status === 'delivered' && local?.open) {
      this.counters.commandsSent += 1;
      local.send(row.type as 'command', payload as never);
    } else await this.bus.publish({ kind: 'deliver', server_id: input.serverId, command_id: id });
    const answer = answered ? await answered : null;
    // Delivered from here and answered: nothing in the row changed but what the answer says.
    const fresh = answer && row.status === 'delivered' ? row : ((await this.commands.find(id)) ?? row);
    // The answer may be back before it is stored (see onCommandResponse).
    if (answer) return { ...fresh, status: 'answered', ok: answer.ok, data: answer.data, error: answer.error, answered_at: new Date(answer.at) };
    return fresh;
  }

  findCommand(id: string) {
    return this.commands.find(id);
  }

  private async deliver(serverId: string, commandId: string) {
    const session = this.sessions.get(serverId);
    if (!session?.open) return;
    const row = await this.commands.claim(commandId, serverId);
    if (!row) return;
    this.counters.commandsSent += 1;
    session.send(row.type as 'command', row.payload as never);
  }

  /** Closes a server's socket on whichever node holds it. */
  async disconnect(serverId: string, code: number, reason: string) {
    await this.bus.publish({ kind: 'kick', server_id: serverId, code, reason });
  }

  private async onBus(msg: BusMessage) {
    switch (msg.kind) {
      case 'deliver':
        return this.deliver(msg.server_id, msg.command_id);
      case 'answered':
        this.waiters.wake(msg.command_id, msg.answer ?? null);
        return;
      case 'kick':
        this.sessions.get(msg.server_id)?.close(msg.code, msg.reason);
        return;
      case 'connected': {
        const s = this.sessions.get(msg.server_id);
        if (s && s.connectionId !== msg.connection_id) {
          this.sessions.delete(msg.server_id);
          s.close(CLOSE_CODES.replaced, 'replaced by a newer connection');
        }
        return;
      }
    }
  }
}
