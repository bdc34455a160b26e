import { TERMINAL_WS_PATH_PREFIX } from '@syntra/shared';
import { api, apiUrl } from '../../lib/api.js';

export type TerminalTargetInput = { kind: 'host' } | { kind: 'service'; service_id: string };

export interface OpenedSession {
  sessionId: string;
  ticket: string;
  wsUrl: string;
}

/** POST /servers/:id/terminal, then the WebSocket URL of the session on the same control plane. */
export async function openTerminalSession(serverId: string, size: { cols: number; rows: number }, target: TerminalTargetInput, record = false): Promise<OpenedSession> {
  const opened = await api<{ session_id: string; ws_path: string; ticket: string }>(`/api/v1/servers/${serverId}/terminal`, {
    method: 'POST',
    body: { cols: size.cols, rows: size.rows, target, record },
  });
  const http = apiUrl(opened.ws_path || `${TERMINAL_WS_PATH_PREFIX}${opened.session_id}`);
  return { sessionId: opened.session_id, ticket: opened.ticket, wsUrl: http.replace(/^http/, 'ws') };
}
