import type { IPty } from '@lydell/node-pty';
import { encodeTerminalFrame, type AgentFrameType, type ControlFrameType, type PayloadOf } from '@syntra/shared';
import { hostShellSpec, type TerminalProfile } from './host-shell.js';
import { loadPty } from './pty-loader.js';
import type { ServiceShellProvider, SpawnSpec, TerminalTarget } from './spawn-spec.js';
import { DEFAULT_LIMITS, type SessionLimits, type SessionSink, TerminalSession } from './terminal-session.js';

/** How the manager talks to the control plane: the agent's socket, or a test double. */
export interface TerminalTransport {
  sendFrame<T extends AgentFrameType>(type: T, payload: PayloadOf<T>, replyTo?: string): void;
  /** An encoded binary output frame of `sessionId` (PROTOCOL.md), sent as it is. */
  sendOutput(sessionId: string, frame: Uint8Array): void;
  replyError(replyTo: string, code: string, message: string): void;
}

export interface TerminalManagerOptions {
  /** The user host shells run as (default: the agent's own user). */
  user?: string | undefined;
  /** Whether host shells read the user's login profile (default `login`). */
  profile?: TerminalProfile | undefined;
  /** How long a session without a console is kept (default 15 min). */
  graceMs?: number;
  limits?: Partial<SessionLimits>;
  services?: ServiceShellProvider | null;
  maxSessions?: number;
}

type TerminalFrame<T extends ControlFrameType> = { id: string; payload: PayloadOf<T> };

/**
 * The agent's terminal sessions, keyed by the session id the control plane chose. Handles the
 * `terminal_*` frames and binary input; a session whose console went away is kept (paused once its
 * window fills) for the grace period so the console can resume it.
 */
export class TerminalManager {
  private readonly sessions = new Map<string, TerminalSession>();
  /** Input that arrived while its session was still starting (typed right after opening). */
  private readonly opening = new Map<string, Uint8Array[]>();
  private readonly limits: SessionLimits;
  private readonly graceMs: number;
  private services: ServiceShellProvider | null;

  constructor(
    private readonly transport: TerminalTransport,
    private readonly options: TerminalManagerOptions = {},
  ) {
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.graceMs = options.graceMs ?? 15 * 60_000;
    this.services = options.services ?? null;
  }

  /** The runtime registers itself here once it exists, for `service` targets. */
  setServiceShellProvider(provider: ServiceShellProvider | null) {
    this.services = provider;
  }

  get count() {
    return this.sessions.size;
  }

  session(id: string) {
    return this.sessions.get(id);
  }

  private readonly sink: SessionSink = {
    output: (id, frame) => this.transport.sendOutput(id, frame),
    exit: (id, exitCode, signal) => {
      this.transport.sendFrame('terminal_exit', { session_id: id, exit_code: exitCode, signal });
      const s = this.sessions.get(id);
      // An exited session stays (for its grace period) only while no console has seen its end.
      if (s && (s.attached || s.closing)) this.remove(id);
    },
  };

  async open(frame: TerminalFrame<'terminal_open'>) {
    const p = frame.payload;
    const existing = this.sessions.get(p.session_id);
    if (existing) {
      // A repeated open (redelivery after a reconnect) is an attach from the start.
      existing.resize(p.cols, p.rows);
      this.transport.sendFrame('terminal_opened', { session_id: p.session_id, pid: existing.pid }, frame.id);
      existing.attach(0);
      return;
    }
    if (this.opening.has(p.session_id)) return;
    if (this.sessions.size >= (this.options.maxSessions ?? 64)) return this.failOpen(frame.id, p.session_id, 'too many terminal sessions on this server');
    this.opening.set(p.session_id, []);
    try {
      await this.start(frame.id, p);
    } finally {
      const early = this.opening.get(p.session_id) ?? [];
      this.opening.delete(p.session_id);
      const session = this.sessions.get(p.session_id);
      for (const data of early) session?.write(data);
    }
  }

  private async start(frameId: string, p: PayloadOf<'terminal_open'>) {
    const frame = { id: frameId };
    let spec: SpawnSpec;
    try {
      spec = await this.specFor(p.target, p.shell, p.user);
    } catch (err) {
      return this.failOpen(frame.id, p.session_id, (err as Error).message);
    }
    let proc: IPty;
    try {
      const pty = await loadPty();
      proc = pty.spawn(spec.file, spec.args, { name: 'xterm-256color', cols: p.cols, rows: p.rows, cwd: spec.cwd, env: spec.env, encoding: null });
    } catch (err) {
      const message = (err as Error).message;
      return this.failOpen(frame.id, p.session_id, message.includes('node-pty') ? message : `could not start ${spec.file}: ${message}`);
    }
    const session = new TerminalSession(p.session_id, proc, this.sink, this.limits);
    this.sessions.set(p.session_id, session);
    this.transport.sendFrame('terminal_opened', { session_id: p.session_id, pid: proc.pid }, frame.id);
  }

  attach(frame: TerminalFrame<'terminal_attach'>) {
    const s = this.sessions.get(frame.payload.session_id);
    if (!s) return this.gone(frame.id, frame.payload.session_id);
    this.clearGrace(s);
    this.transport.sendFrame('terminal_opened', { session_id: s.id, pid: s.pid }, frame.id);
    s.attach(frame.payload.last_seq);
    if (s.exited) this.remove(s.id);
  }

  /** The console's socket is gone: keep the session for the grace period. */
  detach(sessionId: string) {
    const s = this.sessions.get(sessionId);
    if (!s || s.closing) return;
    s.detach();
    this.startGrace(s);
  }

  /** The agent's own connection dropped: every session waits for its console to come back. */
  detachAll() {
    for (const id of this.sessions.keys()) this.detach(id);
  }

  resize(frame: TerminalFrame<'terminal_resize'>) {
    const s = this.sessions.get(frame.payload.session_id);
    if (!s) return this.gone(frame.id, frame.payload.session_id);
    s.resize(frame.payload.cols, frame.payload.rows);
  }

  ack(frame: TerminalFrame<'terminal_ack'>) {
    this.sessions.get(frame.payload.session_id)?.ack(frame.payload.seq);
  }

  close(frame: TerminalFrame<'terminal_close'>) {
    const s = this.sessions.get(frame.payload.session_id);
    if (!s) return;
    s.closing = true; // the exit that follows is reported, then the session removed
    s.kill();
    if (s.exited) this.remove(s.id);
  }

  /** Binary input from the console. Output frames and unknown sessions are ignored. */
  /** Keystrokes for a session (a view into the frame: copied only while the session is still opening). */
  input(sessionId: string, data: Uint8Array) {
    const early = this.opening.get(sessionId);
    if (early) early.push(Uint8Array.from(data));
    else this.sessions.get(sessionId)?.write(data);
  }

  closeAll() {
    for (const s of this.sessions.values()) {
      this.clearGrace(s);
      s.kill();
    }
    this.sessions.clear();
  }

  /** A session that could not start: the reason shows in the console's terminal, then it ends. */
  private failOpen(replyTo: string, sessionId: string, message: string) {
    this.transport.sendOutput(sessionId, encodeTerminalFrame({ kind: 'output', sessionId, seq: 1, data: Buffer.from(`syntra: ${message}\r\n`) }));
    this.transport.sendFrame('terminal_exit', { session_id: sessionId, exit_code: null, signal: null });
    this.transport.replyError(replyTo, 'command_failed', message);
  }

  private gone(replyTo: string, sessionId: string) {
    this.transport.sendFrame('terminal_exit', { session_id: sessionId, exit_code: null, signal: null });
    this.transport.replyError(replyTo, 'command_failed', 'no such terminal session (it ended or its grace period passed)');
  }

  private async specFor(target: TerminalTarget, shell: string | undefined, user: string | undefined): Promise<SpawnSpec> {
    if (target.kind === 'host') return hostShellSpec({ user: user ?? this.options.user, shell, profile: this.options.profile });
    if (!this.services) throw new Error('service terminals are not available on this agent yet');
    const spec = await this.services.shellFor(target.service_id, { shell });
    if (!spec) throw new Error(`service ${target.service_id} is not running on this server`);
    return spec;
  }

  private startGrace(s: TerminalSession) {
    this.clearGrace(s);
    s.graceTimer = setTimeout(() => {
      s.kill();
      this.remove(s.id);
    }, this.graceMs);
    s.graceTimer.unref();
  }

  private clearGrace(s: TerminalSession) {
    if (s.graceTimer) clearTimeout(s.graceTimer);
    s.graceTimer = null;
  }

  private remove(id: string) {
    const s = this.sessions.get(id);
    if (s) this.clearGrace(s);
    this.sessions.delete(id);
  }
}
