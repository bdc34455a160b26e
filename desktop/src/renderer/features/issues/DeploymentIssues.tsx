import { Link } from 'react-router';
import { ErrorState, Skeleton, timeAgo } from '../../components/ui.js';
import { useCan } from '../../lib/can.js';
import { useDeploymentIssues } from '../../lib/issues.js';
import { IssueStatusBadge, LevelBadge } from './IssueBadges.js';

/** The deployment page's "issues first seen after this deploy": what this release introduced. */
export function DeploymentIssues({ deploymentId }: { deploymentId: string }) {
  const allowed = useCan('issues.read');
  const issues = useDeploymentIssues(deploymentId);
  if (!allowed) return null;
  return (
    <section className="card" data-testid="deployment-issues">
      <h2>Issues first seen after this deploy</h2>
      {issues.isPending && <Skeleton rows={2} />}
      {issues.isError && <ErrorState error={issues.error} retry={() => void issues.refetch()} />}
      {issues.data && issues.data.items.length === 0 && <p className="muted">None so far: no error first appeared while this deployment was running.</p>}
      {issues.data && issues.data.items.length > 0 && (
        <ul className="list">
          {issues.data.items.map((i) => (
            <li key={i.id}>
              <IssueStatusBadge status={i.status} />
              <LevelBadge level={i.level} />
              <Link to={`/issues/${i.id}`}>{i.title}</Link>
              <span className="muted small">
                {i.event_count.toLocaleString()} events · first {timeAgo(i.first_seen_at)}
              </span>
            </li>
          ))}
        </ul>
      )}
      {issues.data?.next_cursor && <p className="muted small">Showing the 50 newest.</p>}
    </section>
  );
}
