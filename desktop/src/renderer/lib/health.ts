import { contracts } from '@syntra/shared';
import { type InfiniteData, useInfiniteQuery } from '@tanstack/react-query';
import { call } from './api-client.js';
import { queryClient } from './query-client.js';

const PAGE_SIZE = 25;

const healthKey = (serviceId: string, onlyFailures?: boolean) => (onlyFailures === undefined ? ['services', 'health', serviceId] : ['services', 'health', serviceId, onlyFailures]);

/**
 * A `service.health` stream event: new results are stored, so the newest page is refetched — unless
 * the reader has loaded older pages (they do not want the history refetched under them).
 */
export function onServiceHealthEvent(serviceId: string) {
  void queryClient.invalidateQueries({
    queryKey: healthKey(serviceId),
    predicate: (q) => ((q.state.data as InfiniteData<unknown> | undefined)?.pages.length ?? 0) <= 1,
  });
}

/** A service's recorded health probes, newest first; kept current by `service.health` stream events. */
export function useHealthChecks(serviceId: string, onlyFailures: boolean) {
  return useInfiniteQuery({
    queryKey: healthKey(serviceId, onlyFailures),
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) =>
      call(contracts.getServicesByServiceIdHealth, { params: { serviceId }, query: { limit: PAGE_SIZE, cursor: pageParam, healthy: onlyFailures ? 'false' : undefined } }),
    getNextPageParam: (last) => last.next_cursor,
  });
}
