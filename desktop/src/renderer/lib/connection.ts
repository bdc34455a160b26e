import { onlineManager } from '@tanstack/react-query';
import { create } from 'zustand';
import { useSession } from './session.js';

let probe: ReturnType<typeof setInterval> | undefined;

/** While offline, knock on `/healthz` every few seconds; the first answer brings the console back. */
function startProbing() {
  if (probe) return;
  probe = setInterval(() => {
    const base = useSession.getState().session?.baseUrl ?? '';
    fetch(`${base}/healthz`, { cache: 'no-store' })
      .then((res) => res.ok && useConnection.getState().setOnline(true))
      .catch(() => undefined);
  }, 3000);
}

function stopProbing() {
  clearInterval(probe);
  probe = undefined;
}

/**
 * Whether the control plane is reachable. Offline, the console shows the cached state read-only
 * with a banner; TanStack Query pauses fetches and refetches everything when we come back.
 */
interface ConnectionState {
  online: boolean;
  since: number;
  streamConnected: boolean;
  setOnline(online: boolean): void;
  setStream(connected: boolean): void;
}

export const useConnection = create<ConnectionState>((set, get) => ({
  online: true,
  since: Date.now(),
  streamConnected: false,
  setOnline: (online) => {
    if (get().online === online) return;
    set({ online, since: Date.now() });
    if (online) stopProbing();
    else startProbing();
    onlineManager.setOnline(online);
  },
  setStream: (streamConnected) => set({ streamConnected }),
}));

/** Writes are refused while offline: the user sees last-known state but cannot act on it. */
export function isReadOnly(): boolean {
  return !useConnection.getState().online;
}
