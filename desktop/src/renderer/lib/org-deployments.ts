import type { DeploymentStatus, OrgDeployment } from '@syntra/shared';
import { useInfiniteQuery } from '@tanstack/react-query';
import { api } from './api.js';
import type { Page } from './projects.js';

export interface OrgDeploymentFilters {
  status: DeploymentStatus | null;
  projectId: string | null;
  serverId: string | null;
}

const PAGE_SIZE = 30;

function listPath(filters: OrgDeploymentFilters, cursor: string | null): string {
  const qs = new URLSearchParams({ limit: String(PAGE_SIZE) });
  if (cursor) qs.set('cursor', cursor);
  if (filters.status) qs.set('status', filters.status);
  if (filters.projectId) qs.set('project_id', filters.projectId);
  if (filters.serverId) qs.set('server_id', filters.serverId);
  return `/api/v1/deployments?${qs}`;
}

/**
 * Every deployment of the organisation, newest first, a page at a time ("load more"). Under the
 * `deployments` key, so deployment events from the stream refresh it like the other lists.
 */
export function useOrgDeployments(orgId: string | null, filters: OrgDeploymentFilters) {
  return useInfiniteQuery({
    queryKey: ['deployments', 'org', orgId ?? '', filters],
    enabled: !!orgId,
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) => api<Page<OrgDeployment>>(listPath(filters, pageParam), { org: true }),
    getNextPageParam: (last) => last.next_cursor,
  });
}
