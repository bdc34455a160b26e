import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Logger } from '../../logger.js';
import { writeAgentBundle } from './agent-bundle.js';
import { AGENT_NODE_FLAGS } from './agent-node-flags.js';
import { localAgentEnv, localTerminalUser, userExists } from './local-agent-env.js';
import type { ServerService } from '../servers/index.js';

const POLL_MS = 2000;
const RESTART_MS = 3000;

/**
 * `syntra start` registers the machine it runs on and runs a real agent for it (a child process
 * running the same bundle install.sh downloads), so a newcomer's first screen shows one server
 * online. The server joins the oldest organisation — i.e. the first user's — as soon as one
 * exists; its token lives in the data dir so restarts reuse the same server row.
 */
export interface LocalAgentOptions {
  /** The environment the control plane started with (its secrets are removed before the agent sees it). */
  baseEnv: NodeJS.ProcessEnv;
  /** SYNTRA_LOCAL_TERMINAL_USER */
  terminalUser: string | undefined;
}

export class LocalAgent {
  private child: ChildProcess | null = null;
  private stopped = false;
  private timer: NodeJS.Timeout | null = null;
  private readonly dir: string;
  private readonly env: NodeJS.ProcessEnv;

  constructor(
    private readonly servers: ServerService,
    dataDir: string,
    private readonly url: string,
    private readonly logger: Logger,
    opts: LocalAgentOptions = { baseEnv: {}, terminalUser: undefined },
  ) {
    this.dir = path.join(dataDir, 'local-agent');
    const terminal = localTerminalUser({ configured: opts.terminalUser, uid: process.getuid?.() ?? -1, exists: (name) => userExists(name) });
    if (terminal.warning) this.logger.warn(`local agent: ${terminal.warning}`);
    this.env = localAgentEnv(opts.baseEnv, terminal.user);
  }

  start(): void {
    void this.tick();
  }

  private async tick() {
    if (this.stopped) return;
    try {
      const token = await this.token();
      if (token === 'removed') return;
      if (token) return void (await this.spawn(token));
    } catch (err) {
      this.logger.warn({ err }, 'local agent: registration failed; retrying');
    }
    this.timer = setTimeout(() => void this.tick(), POLL_MS);
    this.timer.unref();
  }

  /** The stored token; a new registration when there is none; 'removed' if a user deleted the server. */
  private async token(): Promise<string | null | 'removed'> {
    const file = path.join(this.dir, 'token');
    if (fs.existsSync(file)) {
      const token = fs.readFileSync(file, 'utf8').trim();
      if (await this.servers.tokenIsValid(token)) return token;
      this.logger.info(`local agent: this machine's server was removed or its token rotated; delete ${file} to register it again`);
      return 'removed';
    }
    const created = await this.servers.registerLocal(`${os.hostname()} (this machine)`);
    if (!created) return null;
    fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    fs.writeFileSync(file, `${created.agent_token}\n`, { mode: 0o600 });
    this.logger.info({ server_id: created.server.id }, 'local agent: this machine registered as a server');
    return created.agent_token;
  }

  private async spawn(token: string) {
    const bundle = await writeAgentBundle(path.join(this.dir, 'syntra-agent.mjs'));
    // Build steps of the local server run as an unprivileged user in the agent's data dir below: the
    // way there is traversable (0711) but not listable; secrets in it stay 0600 (secret.key, token, config).
    for (const dir of [path.dirname(this.dir), this.dir]) fs.chmodSync(dir, 0o711);
    const config = path.join(this.dir, 'config.json');
    fs.writeFileSync(config, JSON.stringify({ url: this.url, token, data_dir: path.join(this.dir, 'data') }, null, 2), { mode: 0o600 });
    if (this.stopped) return;
    const child = spawn(process.execPath, [...AGENT_NODE_FLAGS, bundle, '--config', config], { stdio: ['ignore', 'ignore', 'pipe'], env: this.env });
    this.child = child;
    child.stderr?.on('data', (d: Buffer) => this.logger.debug({ agent: d.toString().trim() }, 'local agent'));
    child.on('exit', (code, signal) => {
      this.child = null;
      if (this.stopped) return;
      this.logger.warn({ code, signal }, 'local agent exited; restarting');
      this.timer = setTimeout(() => void this.tick(), RESTART_MS);
      this.timer.unref();
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    const child = this.child;
    if (!child) return;
    await new Promise<void>((resolve) => {
      const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
      child.once('exit', () => {
        clearTimeout(force);
        resolve();
      });
      child.kill('SIGTERM');
    });
  }
}
