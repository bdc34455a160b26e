import type { DeploymentVerification, VersionMeasure } from '@syntra/shared';
import { Link } from 'react-router';
import { Badge, timeAgo } from '../../components/ui.js';

const TONE = { pending: 'info', passed: 'ok', failed: 'bad', cancelled: 'muted' } as const;
const LABEL = { pending: 'Verifying', passed: 'Verification passed', failed: 'Verification failed', cancelled: 'Verification cancelled' } as const;

const p95 = (m: VersionMeasure) => (m.p95_ms === null ? '—' : `${m.p95_ms} ms`);

/**
 * Post-deploy verification of a deployment (its service's `verify` setting): how the new version
 * compares with the previous one, why it failed, and the automatic rollback if there was one.
 * Live: a `deployment.verification` stream event refreshes the deployment's query.
 */
export function VerificationPanel({ verification: v }: { verification: DeploymentVerification }) {
  const m = v.measured;
  return (
    <section className="card" data-testid="deployment-verification" aria-live="polite">
      <h2>
        Post-deploy verification <Badge tone={TONE[v.status]}>{LABEL[v.status]}</Badge>
      </h2>
      <p className="muted small">
        Compared with <Link to={`/deployments/${v.previous_deployment_id}`}>the previous deployment</Link> over its last hour ·{' '}
        {v.status === 'pending' ? `watching until ${new Date(v.ends_at).toLocaleTimeString()}` : `concluded ${timeAgo(v.concluded_at)}`} · error rate at most +
        {v.settings.max_error_rate_increase}/min, p95 at most +{v.settings.max_p95_increase_pct}%{v.settings.on_new_issues ? ', no new issues' : ''}
      </p>
      {v.reasons.length > 0 && (
        <ul className="list" data-testid="verification-reasons">
          {v.reasons.map((r) => (
            <li key={r}>{r}</li>
          ))}
        </ul>
      )}
      {m ? (
        <table className="table">
          <thead>
            <tr>
              <th />
              <th>Error events</th>
              <th>Per minute</th>
              <th>p95 latency</th>
              <th>Requests</th>
            </tr>
          </thead>
          <tbody>
            {(
              [
                ['Previous version', m.baseline],
                ['This version', m.current],
              ] as const
            ).map(([label, row]) => (
              <tr key={label}>
                <th scope="row">{label}</th>
                <td>{row.error_events.toLocaleString()}</td>
                <td>{row.error_rate_per_min}</td>
                <td>{p95(row)}</td>
                <td>{row.requests.toLocaleString()}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="muted">No measurement yet: the first check runs shortly after the deploy went live.</p>
      )}
      {m && m.new_issue_ids.length > 0 && <p className="muted small">{m.new_issue_ids.length} issue(s) first seen in this version (listed below).</p>}
      {v.rollback && (
        <p data-testid="verification-rollback">
          {v.rollback.status === 'started' && v.rollback.deployment_id && (
            <>
              Rolled back automatically: <Link to={`/deployments/${v.rollback.deployment_id}`}>the rollback deployment</Link>.
            </>
          )}
          {v.rollback.status === 'pending' && 'Rolling back automatically…'}
          {v.rollback.status === 'failed' && `The automatic rollback did not happen: ${v.rollback.error ?? 'unknown reason'}`}
        </p>
      )}
    </section>
  );
}
