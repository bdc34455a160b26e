import { DEPLOYMENT_STATUSES, type DeploymentStatus, type OrgDeployment } from '@syntra/shared';
import { Link, useSearchParams } from 'react-router';
import { EmptyState, ErrorState, PageHeader, Skeleton } from '../../components/ui.js';
import { useCan } from '../../lib/can.js';
import { type OrgDeploymentFilters, useOrgDeployments } from '../../lib/org-deployments.js';
import { useProjects } from '../../lib/projects.js';
import { useOrgId } from '../../lib/queries.js';
import { useServers } from '../../lib/servers.js';
import { DeploymentCommitCell, DeploymentStatusCell, DeploymentTimingCells } from './deployment-cells.js';

function filtersFrom(params: URLSearchParams): OrgDeploymentFilters {
  const status = params.get('status');
  return {
    status: DEPLOYMENT_STATUSES.includes(status as DeploymentStatus) ? (status as DeploymentStatus) : null,
    projectId: params.get('project'),
    serverId: params.get('server'),
  };
}

function DeploymentRow({ d, serverName }: { d: OrgDeployment; serverName: string | undefined }) {
  return (
    <tr data-testid="deployment-row">
      <DeploymentStatusCell d={d} live={d.is_current} />
      <td>
        <Link to={`/projects/${d.project_id}`}>{d.project_name}</Link> / <Link to={`/services/${d.service_id}`}>{d.service_name}</Link>
      </td>
      <DeploymentCommitCell d={d} />
      <td className="muted small">
        <Link to={`/servers/${d.server_id}`}>{serverName ?? 'server'}</Link>
      </td>
      <DeploymentTimingCells d={d} />
    </tr>
  );
}

/** Every deployment of the organisation, newest first, filtered by status, project or server (kept in the URL). */
export default function DeploymentsPage() {
  const orgId = useOrgId();
  const [params, setParams] = useSearchParams();
  const filters = filtersFrom(params);
  const deployments = useOrgDeployments(orgId, filters);
  const projects = useProjects(orgId);
  // The servers list is usually cached already (overview, sidebar jumps); only used for names.
  const servers = useServers(orgId);
  const canCreateProject = useCan('projects.write');
  const serverNames = new Map((servers.data ?? []).map((s) => [s.id, s.name]));
  const setFilter = (key: 'status' | 'project' | 'server', value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };
  const filtered = filters.status !== null || filters.projectId !== null || filters.serverId !== null;
  const rows = deployments.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <>
      <PageHeader title="Deployments" subtitle="Every build and rollout in this organisation, newest first." />
      <div className="row filters">
        <label className="field">
          <span>Status</span>
          <select value={filters.status ?? ''} onChange={(e) => setFilter('status', e.target.value)}>
            <option value="">Any status</option>
            {DEPLOYMENT_STATUSES.map((s) => (
              <option key={s} value={s}>
                {s.replace('_', ' ')}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Project</span>
          <select value={filters.projectId ?? ''} onChange={(e) => setFilter('project', e.target.value)}>
            <option value="">All projects</option>
            {projects.data?.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        {filters.serverId && (
          <span className="chip">
            On server {serverNames.get(filters.serverId) ?? '…'}
            <button className="btn btn-ghost btn-small" aria-label="Any server" onClick={() => setFilter('server', '')}>
              ✕
            </button>
          </span>
        )}
      </div>
      <section className="card">
        {deployments.isPending && <Skeleton rows={6} />}
        {deployments.isError && !deployments.isFetchNextPageError && <ErrorState error={deployments.error} retry={() => void deployments.refetch()} />}
        {deployments.data && rows.length === 0 &&
          (filtered ? (
            <EmptyState title="No deployments match" action={<button className="btn" onClick={() => setParams({}, { replace: true })}>Clear filters</button>}>
              Nothing with these filters yet.
            </EmptyState>
          ) : (
            <EmptyState title="No deployments yet" action={canCreateProject ? <Link className="btn btn-primary" to="/projects">Go to projects</Link> : undefined}>
              Deployments appear here once a service is deployed: open a project’s service and press Deploy, or push to a branch with auto-deploy on.
            </EmptyState>
          ))}
        {rows.length > 0 && (
          <table className="table" data-testid="org-deployments">
            <thead>
              <tr>
                <th>Status</th>
                <th>Service</th>
                <th>Commit</th>
                <th>Server</th>
                <th>Trigger</th>
                <th>Started</th>
                <th>Duration</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((d) => (
                <DeploymentRow key={d.id} d={d} serverName={serverNames.get(d.server_id)} />
              ))}
            </tbody>
          </table>
        )}
        {deployments.hasNextPage && (
          <div className="load-more">
            <button className="btn" disabled={deployments.isFetchingNextPage} onClick={() => void deployments.fetchNextPage()}>
              {deployments.isFetchingNextPage ? 'Loading…' : 'Load more'}
            </button>
          </div>
        )}
        {deployments.isFetchNextPageError && <ErrorState error={deployments.error} retry={() => void deployments.fetchNextPage()} />}
      </section>
    </>
  );
}
