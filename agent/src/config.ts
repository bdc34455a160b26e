import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { type AgentLogLevel, AgentLogLevelSchema, type RuntimeKind, RuntimeKindSchema } from '@syntra/shared';
import { z } from 'zod';

const FileSchema = z.object({
  url: z.url().optional(),
  token: z.string().min(10).optional(),
  data_dir: z.string().optional(),
  runtime: RuntimeKindSchema.optional(),
  log_level: AgentLogLevelSchema.optional(),
});

export interface AgentConfigFile {
  url: string;
  token: string;
  dataDir: string;
  runtime: RuntimeKind;
  logLevel: AgentLogLevel;
  /** Port the edge proxy routes services' domains on (e.g. 80); null: per-service stable ports only. */
  edgeHttpPort: number | null;
  /** A Docker-compatible API socket for the docker runtime and container terminals; null: process runtime only. */
  dockerSocket: string | null;
  /** The user host terminals log in as; undefined: the agent's own user. */
  terminalUser: string | undefined;
  /** Whether host terminals read the user's login profile (`login`, the default) or no startup file (`none`). */
  terminalProfile: 'login' | 'none';
  /** The unprivileged user build steps run as when the agent is root; undefined: `syntra-build` if it exists, else `nobody`. */
  buildUser: string | undefined;
  /** The config file read (made unreadable to other users at start: it holds the token). */
  configFile: string | null;
}

const EnvSchema = z.object({
  SYNTRA_AGENT_LOG_LEVEL: AgentLogLevelSchema.optional(),
  SYNTRA_EDGE_HTTP_PORT: z
    .union([z.literal('off'), z.literal(''), z.coerce.number().int().min(1).max(65535)])
    .optional()
    .transform((v) => (typeof v === 'number' ? v : null)),
  SYNTRA_DOCKER_SOCKET: z.string().optional().transform((v) => v || null),
  SYNTRA_TERMINAL_USER: z.string().optional().transform((v) => v || undefined),
  SYNTRA_TERMINAL_PROFILE: z.enum(['login', 'none']).optional(),
  SYNTRA_BUILD_USER: z.string().max(64).optional().transform((v) => v || undefined),
});

export class AgentConfigError extends Error {}

export const USAGE = `Usage: syntra-agent [--config FILE] [--url URL] [--data-dir DIR]

Reads the control-plane URL, token and data dir from the config file (default
/etc/syntra-agent/config.json), then the environment (SYNTRA_URL, SYNTRA_AGENT_TOKEN,
SYNTRA_AGENT_DATA_DIR, SYNTRA_AGENT_CONFIG), then the flags. The token is never a flag:
command lines are visible to every user of the machine.

Builds run here, on the service's own server: the agent clones, builds and uploads the artifact.
When the agent runs as root, every build step (git, install/build commands, tar) runs as an
unprivileged user with a minimal environment; the data dir and config file stay unreadable to it.

Optional environment: SYNTRA_EDGE_HTTP_PORT (route services' domains on this port, e.g. 80),
SYNTRA_DOCKER_SOCKET (Docker-compatible API socket: the docker runtime, Dockerfile builds and
generated-Dockerfile builds, container terminals), SYNTRA_BUILD_USER (user build steps run as;
default syntra-build when it exists, else nobody), SYNTRA_TERMINAL_USER (user for host terminals),
SYNTRA_TERMINAL_PROFILE (login: host terminals are login shells, the default; none: they read no
profile or rc file), SYNTRA_AGENT_LOG_LEVEL. Base images of generated Dockerfiles come from the control plane with each build.`;

/** File, then environment, then flags: later wins. */
export function loadAgentConfig(argv: string[], env: NodeJS.ProcessEnv): AgentConfigFile {
  const { values } = parseArgs({
    args: argv,
    options: { config: { type: 'string' }, url: { type: 'string' }, 'data-dir': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) throw new AgentConfigError(USAGE);
  const file = values.config ?? env.SYNTRA_AGENT_CONFIG ?? '/etc/syntra-agent/config.json';
  let fromFile: z.infer<typeof FileSchema> = {};
  const exists = fs.existsSync(file);
  if (exists) {
    let json: unknown;
    try {
      json = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (err) {
      throw new AgentConfigError(`${file}: not readable JSON (${err instanceof Error ? err.message : String(err)})`);
    }
    const parsed = FileSchema.safeParse(json);
    if (!parsed.success) throw new AgentConfigError(`${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    fromFile = parsed.data;
  } else if (values.config) {
    throw new AgentConfigError(`config file ${file} does not exist`);
  }
  const fromEnv = EnvSchema.safeParse(env);
  if (!fromEnv.success) throw new AgentConfigError(fromEnv.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  const url = values.url ?? env.SYNTRA_URL ?? fromFile.url;
  const token = env.SYNTRA_AGENT_TOKEN ?? fromFile.token;
  if (!url) throw new AgentConfigError('no control-plane URL: set "url" in the config file or SYNTRA_URL');
  if (!token) throw new AgentConfigError('no agent token: set "token" in the config file or SYNTRA_AGENT_TOKEN');
  const dataDir = values['data-dir'] ?? env.SYNTRA_AGENT_DATA_DIR ?? fromFile.data_dir ?? path.join(os.homedir(), '.syntra-agent');
  return {
    url: url.replace(/\/$/, ''),
    token,
    dataDir: path.resolve(dataDir),
    runtime: fromFile.runtime ?? 'process',
    logLevel: fromFile.log_level ?? fromEnv.data.SYNTRA_AGENT_LOG_LEVEL ?? 'info',
    edgeHttpPort: fromEnv.data.SYNTRA_EDGE_HTTP_PORT,
    dockerSocket: fromEnv.data.SYNTRA_DOCKER_SOCKET,
    terminalUser: fromEnv.data.SYNTRA_TERMINAL_USER,
    terminalProfile: fromEnv.data.SYNTRA_TERMINAL_PROFILE ?? 'login',
    buildUser: fromEnv.data.SYNTRA_BUILD_USER,
    configFile: exists ? path.resolve(file) : null,
  };
}
