import type { Deployment } from '@syntra/shared';
import { Link } from 'react-router';
import { DeploymentStatusBadge } from '../../components/StatusBadge.js';
import { timeAgo } from '../../components/ui.js';
import { deployDuration } from './deployment-duration.js';

/**
 * The cells every deployments table shares (the organisation's list and a service's history), so
 * both read the same: status with the live marker, commit, and trigger/started/duration.
 */
export function DeploymentStatusCell({ d, live }: { d: Pick<Deployment, 'id' | 'status'> & { verification?: Deployment['verification'] }; live: boolean }) {
  return (
    <td>
      <Link to={`/deployments/${d.id}`}>
        <DeploymentStatusBadge status={d.status} />
      </Link>
      {live && (
        <span className="badge badge-muted small" title="The version this service serves now" data-testid="live-deployment">
          live
        </span>
      )}
      {d.verification?.status === 'failed' && (
        <span className="badge badge-bad small" title={d.verification.reasons.join('\n')} data-testid="verification-failed">
          verification failed
        </span>
      )}
      {d.verification?.status === 'pending' && (
        <span className="badge badge-info small" title="Post-deploy verification is watching this version">
          verifying
        </span>
      )}
    </td>
  );
}

export function DeploymentCommitCell({ d }: { d: Pick<Deployment, 'id' | 'git_commit_sha' | 'git_ref' | 'git_commit_message'> }) {
  return (
    <td>
      <Link to={`/deployments/${d.id}`}>
        <code>{d.git_commit_sha?.slice(0, 7) ?? d.git_ref ?? '—'}</code> <span className="muted small">{d.git_commit_message?.split('\n')[0] ?? ''}</span>
      </Link>
    </td>
  );
}

export function DeploymentTimingCells({ d }: { d: Pick<Deployment, 'trigger_type' | 'created_at' | 'build_duration_ms' | 'deploy_duration_ms'> }) {
  return (
    <>
      <td className="muted">{d.trigger_type}</td>
      <td className="muted small" title={d.created_at}>
        {timeAgo(d.created_at)}
      </td>
      <td className="muted small">{deployDuration(d)}</td>
    </>
  );
}
