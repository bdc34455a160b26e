import { contracts, type Server, type ServerStatus, type ServerUsage } from '@syntra/shared';
import { useQuery } from '@tanstack/react-query';
import { create } from 'zustand';
import { call } from './api-client.js';
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
    const page: { items: Server[]; next_cursor: string | null } = await call(contracts.getServers, { query: { limit: PAGE, cursor } });
    all.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor && all.length < MAX_SERVERS);
  return all;
}

export function useServers(orgId: string | null) {
  return useQuery({ queryKey: serverKeys.list(orgId ?? ''), queryFn: fetchAllServers, enabled: !!orgId });
}

export function useServer(id: string) {
  return useQuery({ queryKey: serverKeys.one(id), queryFn: () => call(contracts.getServersByServerId, { params: { serverId: id } }) });
}

export const RANGES = { '1h': 3600, '6h': 6 * 3600, '24h': 86400, '7d': 7 * 86400 } as const;
export type Range = keyof typeof RANGES;

export function useServerMetrics(id: string, range: Range) {
  return useQuery({
    queryKey: serverKeys.metrics(id, range),
    queryFn: () => {
      const to = new Date();
      const from = new Date(to.getTime() - RANGES[range] * 1000);
      return call(contracts.getServersByServerIdMetrics, { params: { serverId: id }, query: { from: from.toISOString(), to: to.toISOString() } });
    },
    refetchInterval: range === '1h' ? 30_000 : false,
  });
}

/**
 * The last half hour of CPU/memory for one list row (only rendered rows ask, thanks to the
 * virtualised list), so sparklines have a shape before the stream has delivered many samples.
 */
export function useSparkSeed(server: Server, settled: boolean) {
  return useQuery({
    queryKey: ['servers', 'spark', server.id],
    enabled: settled && server.last_heartbeat_at !== null,
    staleTime: 5 * 60_000,
    queryFn: async () => {
      const to = new Date();
      const from = new Date(to.getTime() - 30 * 60_000);
      const m = await call(contracts.getServersByServerIdMetrics, { params: { serverId: server.id }, query: { from: from.toISOString(), to: to.toISOString(), step: 60 } });
      return {
        cpu: m.points.map((p) => p.cpu_percent),
        memMb: m.points.map((p) => p.memory_used_mb),
      };
    },
  });
}

/** Recent usage samples per server, fed by the stream, for the list's sparklines (no request per row). */
const SAMPLES = 30;
interface UsageHistory {
  /** CPU in %, memory in MB (turned into % at render, when the server's total is known). */
  samples: Record<string, { cpu: number[]; memMb: number[] }>;
  push(serverId: string, usage: ServerUsage): void;
}
export const useUsageHistory = create<UsageHistory>((set) => ({
  samples: {},
  push: (serverId, usage) =>
    set((state) => {
      const prev = state.samples[serverId] ?? { cpu: [], memMb: [] };
      return {
        samples: {
          ...state.samples,
          [serverId]: { cpu: [...prev.cpu, usage.cpu_percent].slice(-SAMPLES), memMb: [...prev.memMb, usage.memory_used_mb].slice(-SAMPLES) },
        },
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
      // A status change can come with new facts (the agent's hello): the one-server view refetches (cheap).
      void queryClient.invalidateQueries({ queryKey: serverKeys.one(data.server_id), exact: true });
    } else if (event.type === 'server.metrics') {
      const data = event.data as { server_id: string; usage: ServerUsage };
      useUsageHistory.getState().push(data.server_id, data.usage);
      patchServer(event.org_id, data.server_id, (s) => ({ ...s, usage: data.usage, last_heartbeat_at: data.usage.at }));
    }
  });
}
