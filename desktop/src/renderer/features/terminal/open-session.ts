import { TERMINAL_WS_PATH_PREFIX, contracts } from '@syntra/shared';
import { call } from '../../lib/api-client.js';
import { apiUrl } from '../../lib/api.js';

export type TerminalTargetInput = { kind: 'host' } | { kind: 'service'; service_id: string };

export interface OpenedSession {
  sessionId: string;
  ticket: string;
  wsUrl: string;
}

/** POST /servers/:id/terminal, then the WebSocket URL of the session on the same control plane. */
export async function openTerminalSession(serverId: string, size: { cols: number; rows: number }, target: TerminalTargetInput, record = false): Promise<OpenedSession> {
  const opened = await call(contracts.postServersByServerIdTerminal, {
    params: { serverId },
    body: { cols: size.cols, rows: size.rows, target, record },
  });
  const http = apiUrl(opened.ws_path || `${TERMINAL_WS_PATH_PREFIX}${opened.session_id}`);
  return { sessionId: opened.session_id, ticket: opened.ticket, wsUrl: http.replace(/^http/, 'ws') };
}
