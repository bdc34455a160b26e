import fs from 'node:fs';

/** The name of the unprivileged account host terminals on the control plane's machine use by default. */
export const DEFAULT_TERMINAL_USER = 'syntra';

/** The control plane's own credentials and store addresses: the local agent (and what it runs) gets none. */
const CONTROL_PLANE_ONLY = /^(DATABASE_URL|REDIS_URL|CLICKHOUSE_URL|SYNTRA_SECRET_KEY|SYNTRA_URL|SYNTRA_AGENT_TOKEN|SYNTRA_AGENT_CONFIG|SYNTRA_AGENT_DATA_DIR|PUBLIC_URL)$|SECRET|PASSWORD|API_KEY|_TOKEN$/i;

export function userExists(name: string, passwd = '/etc/passwd'): boolean {
  try {
    return fs.readFileSync(passwd, 'utf8').split('\n').some((line) => line.split(':')[0] === name);
  } catch {
    return false;
  }
}

/**
 * Who host terminals on this machine log in as: the operator's SYNTRA_LOCAL_TERMINAL_USER, else
 * `syntra` when that user exists and the agent runs as root (only root can switch users), else
 * the agent's own user — with a warning when that is root.
 */
export function localTerminalUser(opts: { configured: string | undefined; uid: number; exists: (name: string) => boolean }): { user: string | undefined; warning: string | null } {
  if (opts.configured) return { user: opts.configured, warning: null };
  if (opts.uid !== 0) return { user: undefined, warning: null };
  if (opts.exists(DEFAULT_TERMINAL_USER)) return { user: DEFAULT_TERMINAL_USER, warning: null };
  return {
    user: undefined,
    warning: `host terminals on this machine run as root: create an unprivileged user "${DEFAULT_TERMINAL_USER}" or set SYNTRA_LOCAL_TERMINAL_USER`,
  };
}

/** The local agent's environment: the control plane's, minus its secrets, plus the terminal user. */
export function localAgentEnv(base: NodeJS.ProcessEnv, terminalUser: string | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(base)) if (!CONTROL_PLANE_ONLY.test(key)) env[key] = value;
  if (terminalUser) env.SYNTRA_TERMINAL_USER = terminalUser;
  return env;
}
