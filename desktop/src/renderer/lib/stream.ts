import { parseStreamEvent, STREAM_BEARER_PROTOCOL_PREFIX, STREAM_PATH, type StreamEvent } from '@syntra/shared';
import { queryClient } from './query-client.js';
import { useConnection } from './connection.js';
import { onServiceHealthEvent } from './health.js';
import { onIssueStreamEvent } from './issues.js';
import { useSession } from './session.js';

type Listener = (event: StreamEvent) => void;
const listeners = new Set<Listener>();

/** Subscribe to raw stream events (e.g. a build log viewer). Returns the unsubscribe function. */
export function onStreamEvent(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * Which cached queries an event makes stale. High-frequency events (metrics, log lines) and server
 * status are applied in place by their listeners, so 1,000 servers are never refetched per heartbeat.
 */
const IN_PLACE = new Set(['server.status', 'server.metrics', 'deployment.log']);
function invalidate(event: StreamEvent) {
  const { type } = event;
  if (IN_PLACE.has(type)) return;
  // Probes arrive every few seconds per service: only that service's health list is stale.
  if (type === 'service.health') return onServiceHealthEvent((event.data as { service_id: string }).service_id);
  // Issues: counts are applied in place (one event per issue per processed batch), new ones refetched.
  if (type.startsWith('issue.')) return onIssueStreamEvent(type, event.data);
  const resource = type.split(/[._]/)[0] ?? '';
  const keys: Record<string, string[][]> = {
    server: [['servers']],
    deployment: [['deployments'], ['services']],
    service: [['services'], ['projects']],
    project: [['projects']],
  };
  for (const key of keys[resource] ?? []) void queryClient.invalidateQueries({ queryKey: key });
}

/**
 * The live connection to `/api/v1/stream`: reconnects with jittered backoff, marks the console
 * live/not-live, and refreshes the affected queries on every event.
 */
export function connectStream(): () => void {
  let socket: WebSocket | null = null;
  let stopped = false;
  let attempt = 0;
  let opened = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const open = () => {
    const { session, orgId } = useSession.getState();
    if (!session || stopped) return;
    const base = session.baseUrl || window.location.origin;
    const url = new URL(STREAM_PATH, base);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    // Browsers cannot set headers on a WebSocket: the desktop's bearer travels as a subprotocol;
    // the web console's session cookie goes along by itself (the server checks the Origin).
    socket = session.token ? new WebSocket(url, [`${STREAM_BEARER_PROTOCOL_PREFIX}${session.token}`]) : new WebSocket(url);
    socket.onopen = () => {
      attempt = 0;
      if (orgId) socket?.send(JSON.stringify({ type: 'subscribe', org_id: orgId }));
      useConnection.getState().setStream(true);
      // After a reconnect anything may have changed while we were away (the first open needs no refetch).
      if (opened) void queryClient.invalidateQueries();
      opened = true;
    };
    socket.onmessage = (msg) => {
      try {
        const event = parseStreamEvent(JSON.parse(String(msg.data)));
        if (!event) return; // control messages (subscribed, pong) and unknown events
        invalidate(event);
        for (const l of listeners) l(event);
      } catch {
        // not JSON: ignore
      }
    };
    socket.onclose = () => {
      useConnection.getState().setStream(false);
      if (stopped) return;
      const delay = Math.random() * Math.min(30_000, 1000 * 2 ** attempt++);
      timer = setTimeout(open, delay);
    };
  };
  open();
  return () => {
    stopped = true;
    clearTimeout(timer);
    socket?.close();
    useConnection.getState().setStream(false);
  };
}
