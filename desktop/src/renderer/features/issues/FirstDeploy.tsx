import { Link } from 'react-router';
import { timeAgo } from '../../components/ui.js';
import type { FirstDeployment } from './issue-types.js';

/** "First seen after deploy X": the deployment that was running when the first event happened. */
export function FirstDeploy({ deployment, firstSeenAt }: { deployment: FirstDeployment | null; firstSeenAt: string }) {
  if (!deployment) {
    return (
      <p className="muted small" data-testid="first-deploy">
        First seen {timeAgo(firstSeenAt)}; no Syntra deployment of this service was running then (or the event came from elsewhere).
      </p>
    );
  }
  const sha = deployment.commit_sha?.slice(0, 7) ?? deployment.id.slice(0, 8);
  return (
    <p className="first-deploy" data-testid="first-deploy">
      First seen after deploy{' '}
      <Link to={`/deployments/${deployment.id}`} data-testid="first-deploy-link">
        <code>{sha}</code>
      </Link>
      {deployment.commit_message && <span> “{deployment.commit_message.split('\n')[0]}”</span>}
      {deployment.commit_author && <span className="muted"> by {deployment.commit_author}</span>}
      <span className="muted" title={deployment.created_at}>
        {' '}
        · deployed {timeAgo(deployment.created_at)}
      </span>
    </p>
  );
}
