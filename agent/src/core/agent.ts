import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import WebSocket from 'ws';
import {
  AGENT_WS_PATH,
  CLOSE_CODES,
  DEFAULT_AGENT_CONFIG,
  MAX_FRAME_BYTES,
  NIL_UUID,
  PROTOCOL_VERSION,
  buildFrame,
  parseFrame,
  type AgentConfig,
  type AgentFrameType,
  type AnyFrameOf,
  type CommandResponse,
  type ControlFrameType,
  type PayloadOf,
  type TelemetryItem,
} from '@syntra/shared';
import { hostFacts } from '../host/facts.js';
import { UsageSampler } from '../host/usage.js';
import type { AgentLogger } from '../log.js';
import type { Runtime } from '../runtime/runtime.js';
import { TelemetryBuffer } from '../telemetry/buffer.js';
import { Backoff } from './backoff.js';
import { CommandJournal } from './command-journal.js';
import { type AgentContext, CommandError, HandlerRegistry } from './handlers.js';

const IO_FIELDS = ['net_rx_bps', 'net_tx_bps', 'disk_read_bps', 'disk_write_bps'] as const;

export const AGENT_VERSION = '0.1.0';

export interface AgentOptions {
  url: string;
  token: string;
  dataDir: string;
  runtime: Runtime;
  log: AgentLogger;
  handlers?: HandlerRegistry;
  /** Intervals and limits used until the control plane sends its own in hello_ack (default: the protocol's). */
  initialConfig?: AgentConfig;
}

/** Close codes after which retrying soon is pointless: wait the full backoff cap instead. */
const SLOW_RETRY = new Set<number>([CLOSE_CODES.invalidToken, CLOSE_CODES.revoked, CLOSE_CODES.unsupportedProtocol, CLOSE_CODES.replaced]);

/**
 * The agent core: dials the control plane, says hello, heartbeats, buffers telemetry on disk until
 * acked, and dispatches every other frame to the handler registry. Reconnects forever with
 * exponential backoff and full jitter.
 */
export class Agent {
  readonly handlers: HandlerRegistry;
  private ws: WebSocket | null = null;
  private ready = false;
  private stopping = false;
  private config: AgentConfig;
  private readonly backoff = new Backoff();
  private readonly sampler = new UsageSampler('/');
  private readonly telemetry: TelemetryBuffer;
  private readonly journal: CommandJournal;
  private readonly agentId: string;
  private pendingItems: TelemetryItem[] = [];
  private heartbeatTimer: NodeJS.Timeout | null = null;
  private telemetryTimer: NodeJS.Timeout | null = null;
  private soonTimer: NodeJS.Timeout | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private readonly ctx: AgentContext;
  /** Last close code, for logs and tests. */
  lastCloseCode: number | null = null;

  constructor(private readonly opts: AgentOptions) {
    fs.mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
    this.handlers = opts.handlers ?? new HandlerRegistry();
    this.config = opts.initialConfig ?? DEFAULT_AGENT_CONFIG;
    this.telemetry = new TelemetryBuffer(path.join(opts.dataDir, 'telemetry'), this.config.telemetry_buffer_max_mb * 1024 * 1024, opts.log);
    this.journal = new CommandJournal(opts.dataDir);
    this.agentId = this.loadAgentId();
    this.ctx = {
      send: (type, payload, replyTo) => this.send(type, payload, replyTo),
      sendBinary: (data) => {
        if (!this.ready || this.ws?.readyState !== WebSocket.OPEN) return false;
        this.ws.send(data, { binary: true });
        return true;
      },
      log: opts.log,
      runtime: opts.runtime,
      dataDir: opts.dataDir,
    };
    this.handlers.onFrame('command', (frame) => this.onCommand(frame));
  }

  /** A stable id for this installation, kept in the data dir. */
  private loadAgentId(): string {
    const file = path.join(this.opts.dataDir, 'agent-id');
    try {
      return fs.readFileSync(file, 'utf8').trim();
    } catch {
      const id = randomUUID();
      fs.writeFileSync(file, id, { mode: 0o600 });
      return id;
    }
  }

  start(): void {
    // Sampling and the disk buffer run from the start: an agent that cannot reach the control plane
    // (or loses it before its hello_ack) keeps its samples on disk, bounded, not in memory.
    this.scheduleSampling();
    this.scheduleTelemetry();
    this.connect();
  }

  private connect() {
    if (this.stopping) return;
    const url = `${this.opts.url.replace(/^http/, 'ws')}${AGENT_WS_PATH}`;
    const ws = new WebSocket(url, { headers: { authorization: `Bearer ${this.opts.token}` }, maxPayload: MAX_FRAME_BYTES, handshakeTimeout: 15_000 });
    this.ws = ws;
    ws.on('open', () => void this.hello(ws));
    ws.on('message', (data, isBinary) => {
      // A listener's throw would be uncaught and end the agent: one bad frame costs only itself.
      try {
        this.onMessage(ws, data as Buffer, isBinary);
      } catch (err) {
        this.opts.log.error('frame from the control plane failed', { error: String(err) });
      }
    });
    ws.on('error', (err) => this.opts.log.debug('socket error', { error: err.message }));
    ws.on('close', (code, reason) => this.onClose(ws, code, reason.toString()));
  }

  private async hello(ws: WebSocket) {
    const facts = hostFacts('/');
    const payload: PayloadOf<'agent_hello'> = {
      agent_id: this.agentId,
      version: AGENT_VERSION,
      protocol: PROTOCOL_VERSION,
      runtime: this.opts.runtime.kind,
      runtime_version: await this.opts.runtime.version(),
      ...facts,
      capabilities: [...this.opts.runtime.capabilities(), ...this.handlers.commandNames().map((n) => `command:${n}`)],
      last_acked_telemetry_seq: Math.max(0, (this.telemetry.seqs()[0] ?? 1) - 1),
    };
    if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(buildFrame('agent_hello', payload, randomUUID())));
  }

  private onClose(ws: WebSocket, code: number, reason: string) {
    if (this.ws !== ws) return;
    this.ws = null;
    this.ready = false;
    this.lastCloseCode = code;
    if (this.stopping) return;
    const delay = SLOW_RETRY.has(code) ? 60_000 * (0.5 + Math.random() / 2) : this.backoff.next();
    const level = SLOW_RETRY.has(code) ? 'error' : 'warn';
    this.opts.log[level]('disconnected from the control plane', { code, reason, retry_in_ms: delay });
    this.reconnectTimer = setTimeout(() => this.connect(), delay);
  }

  private onMessage(ws: WebSocket, data: Buffer, isBinary: boolean) {
    if (isBinary) {
      // Terminal input: synchronous and without a copy, since every keystroke takes this path.
      try {
        this.handlers.binary?.(data, this.ctx);
      } catch (err) {
        this.opts.log.warn('binary handler failed', { error: String(err) });
      }
      return;
    }
    const parsed = parseFrame(data.toString(), 'control');
    if (!parsed.ok) {
      this.opts.log.warn('rejected a frame from the control plane', { code: parsed.code, message: parsed.message, type: parsed.type });
      this.replyError(parsed.id, parsed.code, parsed.message);
      return;
    }
    const frame = parsed.frame;
    if (frame.type === 'hello_ack') return void this.onHelloAck(frame).catch((err: unknown) => this.opts.log.error('hello_ack failed', { error: String(err) }));
    if (!this.ready) return;
    switch (frame.type) {
      case 'pong':
        return;
      case 'telemetry_ack':
        this.telemetry.ack(frame.payload.seq);
        if (this.pendingItems.some((i) => i.kind === 'log')) this.flushSoon();
        return;
      case 'command_response':
        if (!frame.payload.ok) this.opts.log.warn('the control plane rejected a frame', { reply_to: frame.reply_to, error: frame.payload.error });
        return;
      default:
        this.dispatch(frame);
    }
    void ws;
  }

  private dispatch(frame: AnyFrameOf<ControlFrameType>) {
    const handler = this.handlers.frame(frame.type);
    if (!handler) {
      this.replyError(frame.id, 'not_supported', `this agent (${AGENT_VERSION}) does not handle "${frame.type}"`);
      return;
    }
    // Called inside the promise chain, so a handler that throws synchronously is answered like one that rejects.
    void Promise.resolve().then(() => handler(frame, this.ctx)).catch((err: unknown) => {
      this.opts.log.error('frame handler failed', { type: frame.type, error: String(err) });
      this.replyError(frame.id, 'command_failed', err instanceof Error ? err.message : String(err));
    });
  }

  private async onHelloAck(frame: AnyFrameOf<'hello_ack'>) {
    const ack = frame.payload;
    this.config = ack.config;
    this.opts.log.setLevel(ack.config.log_level);
    this.telemetry.setMaxMb(ack.config.telemetry_buffer_max_mb);
    this.telemetry.sync(ack.telemetry_acked_seq);
    this.ready = true;
    this.backoff.reset();
    this.opts.log.info('connected', { server_id: ack.server_id, server_name: ack.server_name, redelivered: ack.pending_commands.length });
    this.scheduleSampling();
    this.scheduleTelemetry();
    this.sendHeartbeat();
    // Work that waited while this agent was away: through the same handlers as live frames.
    for (const d of ack.pending_deployments) this.dispatch(buildFrame('deploy', d, randomUUID()) as AnyFrameOf<ControlFrameType>);
    for (const b of ack.pending_builds) this.dispatch(buildFrame('build', b, randomUUID()) as AnyFrameOf<ControlFrameType>);
    for (const c of ack.pending_commands) {
      const payload = c.payload as never;
      this.dispatch(buildFrame(c.type, payload, randomUUID()) as AnyFrameOf<ControlFrameType>);
    }
    this.flushTelemetry();
  }

  private async onCommand(frame: AnyFrameOf<'command'>) {
    const { request_id, name, args } = frame.payload;
    const previous = this.journal.get(request_id);
    if (previous) {
      this.opts.log.info('command already handled; resending its answer', { request_id, name });
      return this.send('command_response', previous, frame.id);
    }
    let response: CommandResponse;
    const handler = this.handlers.command(name);
    if (!handler) {
      response = { request_id, ok: false, error: { code: 'unknown_command', message: `unknown command "${name}"; this agent knows: ${this.handlers.commandNames().join(', ')}` } };
    } else {
      try {
        response = { request_id, ok: true, data: await handler(args, this.ctx) };
      } catch (err) {
        const code = err instanceof CommandError ? err.code : 'command_failed';
        response = { request_id, ok: false, error: { code, message: err instanceof Error ? err.message : String(err) } };
      }
    }
    this.journal.record(response);
    this.send('command_response', response, frame.id);
  }

  private send<T extends AgentFrameType>(type: T, payload: PayloadOf<T>, replyTo?: string) {
    if (this.ws?.readyState !== WebSocket.OPEN) return;
    this.ws.send(JSON.stringify(buildFrame(type, payload, randomUUID(), replyTo)));
  }

  private replyError(replyTo: string | null, code: string, message: string) {
    this.send('command_response', { request_id: replyTo ?? NIL_UUID, ok: false, error: { code, message } }, replyTo ?? undefined);
  }

  /** Samples every heartbeat interval: sent as a heartbeat when connected, buffered as telemetry when not. */
  private scheduleSampling() {
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = setInterval(() => this.guard('heartbeat', () => this.sendHeartbeat()), this.config.heartbeat_interval_seconds * 1000);
  }

  private scheduleTelemetry() {
    if (this.telemetryTimer) clearInterval(this.telemetryTimer);
    this.telemetryTimer = setInterval(() => this.guard('telemetry flush', () => this.flushTelemetry()), this.config.telemetry_batch_interval_seconds * 1000);
  }

  /** Timer bodies: a full disk or an unreadable /proc file skips one tick instead of ending the agent. */
  private guard(what: string, run: () => void) {
    try {
      run();
    } catch (err) {
      this.opts.log.error(`${what} failed`, { error: String(err) });
    }
  }

  private sendHeartbeat() {
    const usage = this.sampler.sample();
    if (this.ready) {
      void this.opts.runtime
        .services()
        .then((services) => this.send('heartbeat', { resources: usage, services }))
        .catch((err: unknown) => this.opts.log.warn('heartbeat failed', { error: String(err) }));
      return;
    }
    const ts = new Date().toISOString();
    const metric = (name: string, value: number): TelemetryItem => ({ kind: 'metric', ts, name, value });
    this.record([
      metric('host.cpu_percent', usage.cpu_percent),
      metric('host.memory_used_mb', usage.memory_used_mb),
      metric('host.disk_used_gb', usage.disk_used_gb),
      metric('host.load_1', usage.load_avg[0]),
      metric('host.load_5', usage.load_avg[1]),
      metric('host.load_15', usage.load_avg[2]),
      ...IO_FIELDS.filter((f) => usage[f] !== undefined).map((f) => metric(`host.${f}`, usage[f]!)),
    ]);
    // Per-service usage too, so the service charts have no hole where the agent was cut off.
    void this.opts.runtime
      .services()
      .then((services) =>
        this.record(
          services.flatMap((s) => {
            const item = (name: string, value: number): TelemetryItem => ({ kind: 'metric', ts, name, value, service_id: s.service_id, ...(s.deployment_id ? { labels: { deployment_id: s.deployment_id } } : {}) });
            return [item('service.cpu_percent', s.cpu_percent), item('service.memory_mb', s.memory_mb), ...IO_FIELDS.filter((f) => s[f] !== undefined).map((f) => item(`service.${f}`, s[f]!))];
          }),
        ),
      )
      .catch((err: unknown) => this.opts.log.warn('service usage sample failed', { error: String(err) }));
  }

  /** Telemetry items from anywhere in the agent (logs, samples); durable at the next flush. */
  record(items: TelemetryItem[]) {
    this.pendingItems.push(...items);
    if (items.some((i) => i.kind === 'log')) this.flushSoon();
  }

  /**
   * Service logs should show up within a second, not at the next telemetry tick: flush shortly,
   * but only when no batch is waiting for its ack (one batch in flight keeps them in order; the
   * ack calls this again).
   */
  private flushSoon() {
    if (!this.ready || this.soonTimer) return;
    this.soonTimer = setTimeout(() => {
      this.soonTimer = null;
      if (this.telemetry.seqs().length === 0) this.guard('telemetry flush', () => this.flushTelemetry());
    }, 250);
    this.soonTimer.unref();
  }

  /** Persists what was recorded, then sends every unacknowledged batch. */
  private flushTelemetry() {
    const items = this.pendingItems;
    this.pendingItems = [];
    this.telemetry.append(items);
    if (!this.ready) return;
    for (const seq of this.telemetry.seqs()) {
      const batch = this.telemetry.read(seq);
      if (batch) this.send('telemetry_batch', batch);
    }
  }

  /** Graceful shutdown: buffer what is pending, say goodbye (1000), stop the runtime. */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const t of [this.heartbeatTimer, this.telemetryTimer]) if (t) clearInterval(t);
    if (this.soonTimer) clearTimeout(this.soonTimer);
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.telemetry.append(this.pendingItems);
    this.pendingItems = [];
    const ws = this.ws;
    if (ws && ws.readyState === WebSocket.OPEN) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 2000);
        ws.once('close', () => {
          clearTimeout(t);
          resolve();
        });
        ws.close(1000, 'agent shutdown');
      });
    } else ws?.terminate();
    await this.opts.runtime.close();
  }
}
