import { contracts } from '@syntra/shared';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { IssueFilters } from '../features/issues/issue-filters.js';
import type { Issue, IssueEventDetail, IssueStatusChange } from '../features/issues/issue-types.js';
import { call } from './api-client.js';

/** Everything under `issues`, so the stream's issue events refresh lists and details alike. */
export const issueKeys = {
  all: ['issues'] as const,
  list: (orgId: string, filters: Omit<IssueFilters, 'period'>) => ['issues', 'list', orgId, filters] as const,
  one: (id: string) => ['issues', 'one', id] as const,
  events: (id: string) => ['issues', 'events', id] as const,
  event: (id: string, eventId: string) => ['issues', 'event', id, eventId] as const,
  ofDeployment: (deploymentId: string) => ['issues', 'deployment', deploymentId] as const,
};

const PAGE_SIZE = 50;

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
          cursor: pageParam,
          status: filters.status === 'all' ? undefined : filters.status,
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

/** Newest first; the detail page walks older/newer through it. */
export function useIssueEvents(issueId: string) {
  return useInfiniteQuery({
    queryKey: issueKeys.events(issueId),
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) => call(contracts.getIssuesByIssueIdEvents, { params: { issueId }, query: { limit: 100, cursor: pageParam } }),
    getNextPageParam: (last) => last.next_cursor,
  });
}

/** One event in full; `latest` is the newest. */
export function useIssueEvent(issueId: string, eventId: string) {
  return useQuery({
    queryKey: issueKeys.event(issueId, eventId),
    queryFn: async () => (await call(contracts.getIssuesByIssueIdEventsByEventId, { params: { issueId, eventId } })) as IssueEventDetail,
    // A stored event never changes: only `latest` moves.
    staleTime: eventId === 'latest' ? 0 : Infinity,
  });
}

export function useDeploymentIssues(deploymentId: string) {
  return useQuery({
    queryKey: issueKeys.ofDeployment(deploymentId),
    queryFn: () => call(contracts.getDeploymentsByDeploymentIdIssues, { params: { deploymentId } }),
  });
}

export type IssuePatch = IssueStatusChange | { assigned_to: string | null };

export function useUpdateIssue(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (patch: IssuePatch) => call(contracts.patchIssuesByIssueId, { params: { issueId: id }, body: patch }),
    onSuccess: (issue) => {
      client.setQueryData(issueKeys.one(id), issue);
      void client.invalidateQueries({ queryKey: ['issues', 'list'] });
    },
  });
}

/** One status change for many issues (the list's selection). */
export function useBulkStatus() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ ids, change }: { ids: string[]; change: IssueStatusChange }) => call(contracts.postIssuesBulk, { body: { ids, ...change } }),
    onSettled: () => client.invalidateQueries({ queryKey: issueKeys.all }),
  });
}

export type { Issue };
