import { Link } from 'react-router';
import { DeploymentStatusBadge } from '../../components/StatusBadge.js';
import { ErrorState, Skeleton, timeAgo } from '../../components/ui.js';
import { useRecentDeployments } from '../../lib/projects.js';
import { useOrgId } from '../../lib/queries.js';

export function RecentDeployments() {
  const orgId = useOrgId();
  const recent = useRecentDeployments(orgId);
  return (
    <section className="card">
      <div className="card-head">
        <h2>Recent deployments</h2>
        {recent.data && recent.data.length > 0 && <Link to="/deployments">All deployments</Link>}
      </div>
      {recent.isPending && <Skeleton rows={3} />}
      {recent.isError && <ErrorState error={recent.error} retry={() => void recent.refetch()} />}
      {recent.data?.length === 0 && <p className="muted">No deployments yet. Create a project and a service, then press Deploy.</p>}
      {recent.data && recent.data.length > 0 && (
        <ul className="list" data-testid="recent-deployments">
          {recent.data.slice(0, 8).map((d) => (
            <li key={d.id}>
              <DeploymentStatusBadge status={d.status} />
              <Link to={`/deployments/${d.id}`}>
                {d.project_name} / {d.service_name}
              </Link>
              <code className="muted small">{d.git_commit_sha?.slice(0, 7) ?? ''}</code>
              <span className="muted small">{timeAgo(d.created_at)}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
