import { contracts, type DeploymentStatus } from '@syntra/shared';
import { useInfiniteQuery } from '@tanstack/react-query';
import { call } from './api-client.js';

export interface OrgDeploymentFilters {
  status: DeploymentStatus | null;
  projectId: string | null;
  serverId: string | null;
}

const PAGE_SIZE = 30;


/**
 * Every deployment of the organisation, newest first, a page at a time ("load more"). Under the
 * `deployments` key, so deployment events from the stream refresh it like the other lists.
 */
export function useOrgDeployments(orgId: string | null, filters: OrgDeploymentFilters) {
  return useInfiniteQuery({
    queryKey: ['deployments', 'org', orgId ?? '', filters],
    enabled: !!orgId,
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) =>
      call(contracts.getDeployments, {
        query: { limit: PAGE_SIZE, cursor: pageParam, status: filters.status, project_id: filters.projectId, server_id: filters.serverId },
      }),
    getNextPageParam: (last) => last.next_cursor,
  });
}
