import { contracts, type Deployment, ROLLBACK_TARGET_DEPLOYMENT_STATUSES, type Service } from '@syntra/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useNavigate } from 'react-router';
import { Dialog, EmptyState, InlineError, Skeleton, timeAgo } from '../../components/ui.js';
import { call } from '../../lib/api-client.js';
import { projectKeys, useDeployments } from '../../lib/projects.js';

/** Pick an earlier good deployment, see what changes (commits, env keys, image), then redeploy its artifact. */
export function RollbackDialog({ open, onClose, service, currentId }: { open: boolean; onClose: () => void; service: Service; currentId: string }) {
  const deployments = useDeployments(service.id);
  const candidates = (deployments.data ?? []).filter((d: Deployment) => d.id !== currentId && d.artifact_id && ROLLBACK_TARGET_DEPLOYMENT_STATUSES.includes(d.status));
  const [target, setTarget] = useState('');
  useEffect(() => {
    if (!target && candidates[0]) setTarget(candidates[0].id);
  }, [candidates, target]);
  const diff = useQuery({
    queryKey: ['deployments', 'diff', currentId, target],
    queryFn: () => call(contracts.getDeploymentsByDeploymentIdDiff, { params: { deploymentId: currentId }, query: { against: target } }),
    enabled: open && !!target,
  });
  const client = useQueryClient();
  const navigate = useNavigate();
  const rollback = useMutation({
    mutationFn: () => call(contracts.postServicesByServiceIdRollback, { params: { serviceId: service.id }, body: { deployment_id: target } }),
    onSuccess: async ({ id }) => {
      await client.invalidateQueries({ queryKey: projectKeys.deployments(service.id) });
      onClose();
      navigate(`/deployments/${id}`);
    },
  });
  return (
    <Dialog title={`Roll back ${service.name}`} open={open} onClose={onClose}>
      {deployments.isPending && <Skeleton rows={3} />}
      {deployments.data && candidates.length === 0 && <EmptyState title="Nothing to roll back to">There is no earlier deployment with a build to go back to.</EmptyState>}
      {candidates.length > 0 && (
        <div className="stack">
          <label className="field">
            <span>Go back to</span>
            <select value={target} onChange={(e) => setTarget(e.target.value)} aria-label="Rollback target">
              {candidates.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.git_commit_sha?.slice(0, 7) ?? d.id.slice(0, 8)} — {d.git_commit_message?.split('\n')[0] ?? d.trigger_type} ({timeAgo(d.created_at)})
                </option>
              ))}
            </select>
          </label>
          {diff.isPending && <Skeleton rows={3} />}
          {diff.data && (
            <div className="diff" data-testid="rollback-diff">
              <h3>Commits that go away</h3>
              {diff.data.commits.messages.length === 0 ? (
                <p className="muted small">
                  {diff.data.commits.from_sha?.slice(0, 7) ?? '?'} → {diff.data.commits.to_sha?.slice(0, 7) ?? '?'}
                  {diff.data.commits.complete ? '' : ' (range not readable from the repository)'}
                </p>
              ) : (
                <ul className="list">
                  {diff.data.commits.messages.map((c) => (
                    <li key={c.sha}>
                      <code>{c.sha.slice(0, 7)}</code> {c.message.split('\n')[0]}
                    </li>
                  ))}
                </ul>
              )}
              <h3>Environment</h3>
              <p className="small">
                {['added', 'removed', 'changed'].map((k) => {
                  const keys = diff.data.env[k as 'added'];
                  return keys.length ? (
                    <span key={k}>
                      {k}: <code>{keys.join(', ')}</code>{' '}
                    </span>
                  ) : null;
                })}
                {diff.data.env.added.length + diff.data.env.removed.length + diff.data.env.changed.length === 0 && <span className="muted">no changes</span>}
              </p>
            </div>
          )}
          <InlineError error={diff.error ?? rollback.error} />
          <button className="btn btn-primary" disabled={!target || rollback.isPending} onClick={() => rollback.mutate()}>
            Roll back
          </button>
        </div>
      )}
    </Dialog>
  );
}
