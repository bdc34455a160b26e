import { contracts, type IssueStatus, type StreamEventData } from '@syntra/shared';
import { type InfiniteData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { IssueFilters } from '../features/issues/issue-filters.js';
import type { Issue, IssueStatusChange } from '../features/issues/issue-types.js';
import { call } from './api-client.js';
import { queryClient } from './query-client.js';

/** Everything under `issues`, so the stream's issue events refresh lists and details alike. */
export const issueKeys = {
  all: ['issues'] as const,
  lists: ['issues', 'list'] as const,
  list: (orgId: string, filters: Omit<IssueFilters, 'period'>) => ['issues', 'list', orgId, filters] as const,
  one: (id: string) => ['issues', 'one', id] as const,
  events: (id: string) => ['issues', 'events', id] as const,
  event: (id: string, eventId: string) => ['issues', 'event', id, eventId] as const,
  ofDeployment: (deploymentId: string) => ['issues', 'deployment', deploymentId] as const,
};

const PAGE_SIZE = 50;

/** "Unresolved" is what needs attention: open issues and the ones that came back. */
const STATUS_QUERY: Record<IssueFilters['status'], string | undefined> = {
  unresolved: 'unresolved,regressed',
  regressed: 'regressed',
  resolved: 'resolved',
  ignored: 'ignored',
  all: undefined,
};

/** The organisation's issues (or one service's), a cursor page at a time. */
export function useIssues(orgId: string | null, filters: IssueFilters) {
  const { period: _period, ...query } = filters;
  return useInfiniteQuery({
    queryKey: issueKeys.list(orgId ?? '', query),
    enabled: !!orgId,
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) =>
      call(contracts.getIssues, {
        query: {
          limit: PAGE_SIZE,
          cursor: pageParam ?? undefined,
          status: STATUS_QUERY[filters.status] as never,
          service_id: filters.serviceId ?? undefined,
          environment: filters.environment ?? undefined,
          release: filters.release ?? undefined,
          level: filters.level ?? undefined,
          q: filters.q || undefined,
          sort: filters.sort,
        },
      }),
    getNextPageParam: (last) => last.next_cursor,
  });
}

export function useIssue(id: string) {
  return useQuery({ queryKey: issueKeys.one(id), queryFn: () => call(contracts.getIssuesByIssueId, { params: { issueId: id } }) });
}

/** Newest first; the detail page shows where the open event sits in it. */
export function useIssueEvents(issueId: string) {
  return useInfiniteQuery({
    queryKey: issueKeys.events(issueId),
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) => call(contracts.getIssuesByIssueIdEvents, { params: { issueId }, query: { limit: 100, cursor: pageParam ?? undefined } }),
    getNextPageParam: (last) => last.next_cursor,
  });
}

/** One event in full; `latest` is the newest. */
export function useIssueEvent(issueId: string, eventId: string) {
  return useQuery({
    queryKey: issueKeys.event(issueId, eventId),
    queryFn: () => call(contracts.getIssuesByIssueIdEventsByEventId, { params: { issueId, eventId } }),
    // A stored event never changes (its neighbours may, as new events arrive: refetched when opened again).
    staleTime: eventId === 'latest' ? 0 : 60_000,
  });
}

/** Issues that first appeared after a deployment (the deployment page). */
export function useDeploymentIssues(deploymentId: string) {
  return useQuery({
    queryKey: issueKeys.ofDeployment(deploymentId),
    queryFn: () => call(contracts.getDeploymentsByDeploymentIdIssues, { params: { deploymentId }, query: { limit: 50 } }),
  });
}

export type IssuePatch = IssueStatusChange | { assigned_to: string | null };

export function useUpdateIssue(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (patch: IssuePatch) => call(contracts.patchIssuesByIssueId, { params: { issueId: id }, body: patch }),
    onSuccess: (issue) => {
      client.setQueryData(issueKeys.one(id), issue);
      void client.invalidateQueries({ queryKey: issueKeys.lists });
    },
  });
}

/** One status change for many issues (the list's selection), all or none. */
export function useBulkStatus() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ ids, change }: { ids: string[]; change: IssueStatusChange }) => call(contracts.patchIssues, { body: { ids, ...change } }),
    onSettled: () => client.invalidateQueries({ queryKey: issueKeys.all }),
  });
}

type Page = { items: Issue[]; next_cursor: string | null };

/**
 * `issue.updated` arrives at most once per issue per processed batch: applied in place to the cached
 * rows and detail (counts, last seen, state) instead of refetching every list on every batch. New and
 * regressed issues (and deployments' lists) are refetched: a new row has to come from the server.
 */
export function onIssueStreamEvent(type: string, data: unknown) {
  if (type !== 'issue.updated') {
    void queryClient.invalidateQueries({ queryKey: issueKeys.lists });
    void queryClient.invalidateQueries({ queryKey: ['issues', 'deployment'] });
    return;
  }
  const u = data as StreamEventData<'issue.updated'>;
  const apply = <T extends Issue>(i: T): T => {
    if (i.id !== u.issue_id) return i;
    // The new events fall in the current hour and day: the sparklines' last buckets.
    const added = Math.max(0, u.event_count - i.event_count);
    const bump = (counts: number[]) => (added ? [...counts.slice(0, -1), (counts[counts.length - 1] ?? 0) + added] : counts);
    return { ...i, status: u.status as IssueStatus, event_count: u.event_count, user_count: u.user_count, last_seen_at: u.last_seen_at, assigned_to: u.assigned_to, stats_24h: bump(i.stats_24h), stats_14d: bump(i.stats_14d) };
  };
  queryClient.setQueriesData<InfiniteData<Page>>({ queryKey: issueKeys.lists }, (old) =>
    old ? { ...old, pages: old.pages.map((p) => ({ ...p, items: p.items.map(apply) })) } : old,
  );
  queryClient.setQueryData<Issue>(issueKeys.one(u.issue_id), (old) => (old ? apply(old) : old));
  // The detail's events list and `latest` event move with new events.
  void queryClient.invalidateQueries({ queryKey: issueKeys.events(u.issue_id) });
  void queryClient.invalidateQueries({ queryKey: issueKeys.event(u.issue_id, 'latest') });
}
