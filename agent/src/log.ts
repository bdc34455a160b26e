import type { AgentLogLevel } from '@syntra/shared';

const LEVELS = { error: 0, warn: 1, info: 2, debug: 3 } as const satisfies Record<AgentLogLevel, number>;
export type LogLevel = AgentLogLevel;

export interface AgentLogger {
  error(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  debug(msg: string, fields?: Record<string, unknown>): void;
  setLevel(level: LogLevel): void;
}

/** JSON lines on stderr (journald keeps them); never the token. */
export function createAgentLogger(level: LogLevel = 'info'): AgentLogger {
  let current = LEVELS[level];
  const write = (lvl: LogLevel) => (msg: string, fields: Record<string, unknown> = {}) => {
    if (LEVELS[lvl] > current) return;
    process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), level: lvl, msg, ...fields })}\n`);
  };
  return { error: write('error'), warn: write('warn'), info: write('info'), debug: write('debug'), setLevel: (l) => (current = LEVELS[l]) };
}
