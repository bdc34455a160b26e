import type { Server, ServerMetricPoint, ServerStatus, ServerUsage } from '@syntra/shared';
import { useQuery } from '@tanstack/react-query';
import { create } from 'zustand';
import { api } from './api.js';
import { queryClient } from './query-client.js';
import { onStreamEvent } from './stream.js';

export const serverKeys = {
  list: (orgId: string) => ['servers', orgId] as const,
  one: (id: string) => ['servers', 'one', id] as const,
  metrics: (id: string, range: string) => ['servers', 'metrics', id, range] as const,
};

const PAGE = 200;
const MAX_SERVERS = 10_000;

/** Every server of the organisation (the list API is cursor-paginated; consoles want them all for the table). */
export async function fetchAllServers(): Promise<Server[]> {
  const all: Server[] = [];
  let cursor: string | null = null;
  do {
    const qs: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
    const page: { items: Server[]; next_cursor: string | null } = await api(`/api/v1/servers?limit=${PAGE}${qs}`, { org: true });
    all.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor && all.length < MAX_SERVERS);
  return all;
}

export function useServers(orgId: string | null) {
  return useQuery({ queryKey: serverKeys.list(orgId ?? ''), queryFn: fetchAllServers, enabled: !!orgId });
}

export function useServer(id: string) {
  return useQuery({ queryKey: serverKeys.one(id), queryFn: () => api<Server>(`/api/v1/servers/${id}`) });
}

export const RANGES = { '1h': 3600, '6h': 6 * 3600, '24h': 86400, '7d': 7 * 86400 } as const;
export type Range = keyof typeof RANGES;

export function useServerMetrics(id: string, range: Range) {
  return useQuery({
    queryKey: serverKeys.metrics(id, range),
    queryFn: () => {
      const to = new Date();
      const from = new Date(to.getTime() - RANGES[range] * 1000);
      return api<{ points: ServerMetricPoint[]; step_seconds: number }>(
        `/api/v1/servers/${id}/metrics?from=${encodeURIComponent(from.toISOString())}&to=${encodeURIComponent(to.toISOString())}`,
      );
    },
    refetchInterval: range === '1h' ? 30_000 : false,
  });
}

/** Recent usage samples per server, fed by the stream, for the list's sparklines (no request per row). */
const SAMPLES = 30;
interface UsageHistory {
  samples: Record<string, { cpu: number[]; mem: number[] }>;
  push(serverId: string, usage: ServerUsage, memoryTotalMb: number | null): void;
}
export const useUsageHistory = create<UsageHistory>((set) => ({
  samples: {},
  push: (serverId, usage, memoryTotalMb) =>
    set((state) => {
      const prev = state.samples[serverId] ?? { cpu: [], mem: [] };
      const mem = memoryTotalMb ? (usage.memory_used_mb / memoryTotalMb) * 100 : 0;
      return {
        samples: { ...state.samples, [serverId]: { cpu: [...prev.cpu, usage.cpu_percent].slice(-SAMPLES), mem: [...prev.mem, mem].slice(-SAMPLES) } },
      };
    }),
}));

/**
 * Patches one server in the cached list and detail. A server the list does not have yet (added
 * elsewhere, or just now) makes the list stale instead: setQueryData would mark it fresh as is.
 */
function patchServer(orgId: string, serverId: string, patch: (s: Server) => Server) {
  const listKey = serverKeys.list(orgId);
  const list = queryClient.getQueryData<Server[]>(listKey);
  if (list?.some((s) => s.id === serverId)) queryClient.setQueryData<Server[]>(listKey, list.map((s) => (s.id === serverId ? patch(s) : s)));
  else if (list) void queryClient.invalidateQueries({ queryKey: listKey, exact: true }, { cancelRefetch: false });
  if (queryClient.getQueryData(serverKeys.one(serverId))) queryClient.setQueryData<Server>(serverKeys.one(serverId), (s) => (s ? patch(s) : s));
}

/** Applies server events to the cache in place, so badges and sparklines move without refetching 1,000 rows. */
export function followServerEvents(): () => void {
  return onStreamEvent((event) => {
    if (event.type === 'server.status') {
      const data = event.data as { server_id: string; status: ServerStatus };
      patchServer(event.org_id, data.server_id, (s) => ({ ...s, status: data.status }));
    } else if (event.type === 'server.metrics') {
      const data = event.data as { server_id: string; usage: ServerUsage };
      const list = queryClient.getQueryData<Server[]>(serverKeys.list(event.org_id));
      const server = list?.find((s) => s.id === data.server_id);
      useUsageHistory.getState().push(data.server_id, data.usage, server?.memory_mb ?? null);
      patchServer(event.org_id, data.server_id, (s) => ({ ...s, usage: data.usage, last_heartbeat_at: data.usage.at }));
    }
  });
}
