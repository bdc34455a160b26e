import { ACTIVE_DEPLOYMENT_STATUSES, contracts, type DeploymentLogLine, type StreamEvent, TERMINAL_DEPLOYMENT_STATUSES } from '@syntra/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import { LogViewer } from '../../components/LogViewer.js';
import { DeploymentIssues } from '../../features/issues/DeploymentIssues.js';
import { DeploymentStatusBadge } from '../../components/StatusBadge.js';
import { ErrorState, InlineError, PageHeader, Skeleton, timeAgo } from '../../components/ui.js';
import { call } from '../../lib/api-client.js';
import { useCan } from '../../lib/can.js';
import { type LogPage, projectKeys, useDeployment, useService } from '../../lib/projects.js';
import { onStreamEvent } from '../../lib/stream.js';
import { RollbackDialog } from './RollbackDialog.js';
import { VerificationPanel } from './VerificationPanel.js';
import { DETECTION_FAILED, DockerfileAssistant } from '../../features/ai/index.js';

function Timeline({ status, phases }: { status: string; phases: Record<string, number> }) {
  const reached = (p: string) => p in phases || p === status;
  const end = status === 'running' ? 'running' : TERMINAL_DEPLOYMENT_STATUSES.includes(status as never) ? status : null;
  return (
    <ol className="timeline" aria-label="Status timeline">
      {ACTIVE_DEPLOYMENT_STATUSES.map((p) => (
        <li key={p} className={reached(p) ? (p === status ? 'current' : 'done') : ''}>
          <span>{p}</span>
          {phases[p] !== undefined && <span className="muted small">{(phases[p]! / 1000).toFixed(1)} s</span>}
        </li>
      ))}
      <li className={end ? `end end-${end}` : ''}>
        <span>{end ?? 'running'}</span>
      </li>
    </ol>
  );
}

/** Initial log tail from REST, then live lines from the stream, merged by sequence number. */
function useLiveLines(deploymentId: string, initial: DeploymentLogLine[] | undefined): DeploymentLogLine[] {
  const [live, setLive] = useState<DeploymentLogLine[]>([]);
  useEffect(() => {
    setLive([]);
    return onStreamEvent((event: StreamEvent) => {
      if (event.type !== 'deployment.log') return;
      const data = event.data as { deployment_id: string; lines: DeploymentLogLine[] };
      if (data.deployment_id === deploymentId) setLive((prev) => [...prev, ...data.lines]);
    });
  }, [deploymentId]);
  return useMemo(() => {
    const bySeq = new Map<number, DeploymentLogLine>();
    for (const l of initial ?? []) bySeq.set(l.seq, l);
    for (const l of live) bySeq.set(l.seq, l);
    return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
  }, [initial, live]);
}

async function downloadLog(deploymentId: string) {
  const lines: string[] = [];
  let after: number | null = 0;
  while (after !== null) {
    const page: { logs: LogPage } = await call(contracts.getDeploymentsByDeploymentId, { params: { deploymentId }, query: { after, limit: 5000 } });
    lines.push(...page.logs.lines.map((l) => `${l.ts} [${l.stream}] ${l.line}`));
    after = page.logs.next_after;
  }
  const url = URL.createObjectURL(new Blob([lines.join('\n') + '\n'], { type: 'text/plain' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = `deployment-${deploymentId}.log`;
  a.click();
  URL.revokeObjectURL(url);
}

export default function DeploymentPage() {
  const { deploymentId = '' } = useParams();
  const deployment = useDeployment(deploymentId);
  const serviceId = deployment.data?.service_id ?? '';
  const service = useService(serviceId);
  const canDeploy = useCan('deployments.create');
  const client = useQueryClient();
  const [rollbackOpen, setRollbackOpen] = useState(false);
  const lines = useLiveLines(deploymentId, deployment.data?.logs.lines);
  const cancel = useMutation({
    mutationFn: () => call(contracts.postDeploymentsByDeploymentIdCancel, { params: { deploymentId } }),
    onSuccess: () => client.invalidateQueries({ queryKey: projectKeys.deployment(deploymentId) }),
  });
  if (deployment.isPending) return <Skeleton rows={8} />;
  if (deployment.isError) return <ErrorState error={deployment.error} retry={() => void deployment.refetch()} />;
  const d = deployment.data;
  const finished = TERMINAL_DEPLOYMENT_STATUSES.includes(d.status);
  const isCurrent = service.data?.current_deployment_id === d.id;
  return (
    <>
      <PageHeader
        title={`Deployment ${d.git_commit_sha?.slice(0, 7) ?? d.id.slice(0, 8)}`}
        subtitle={
          <>
            <DeploymentStatusBadge status={d.status} /> {service.data && <Link to={`/services/${serviceId}`}>{service.data.name}</Link>} · {d.trigger_type} · {timeAgo(d.created_at)}
            {serviceId && (
              <>
                {' · '}
                <Link to={`/services/${serviceId}?tab=logs&deployment_id=${d.id}&range=24h`}>Its runtime logs</Link>
              </>
            )}
          </>
        }
        actions={
          canDeploy && (
            <>
              {!finished && (
                <button className="btn btn-danger" disabled={cancel.isPending} onClick={() => cancel.mutate()}>
                  Cancel
                </button>
              )}
              {finished && isCurrent && (
                <button className="btn" onClick={() => setRollbackOpen(true)}>
                  Roll back…
                </button>
              )}
            </>
          )
        }
      />
      <InlineError error={cancel.error} />
      {d.error_message && <div className="error-state">{d.error_message}</div>}
      {d.error_message && DETECTION_FAILED.test(d.error_message) && <DockerfileAssistant serviceId={d.service_id} />}
      {d.trigger_type === 'rollback' && d.triggered_by === null && (
        <p className="muted" data-testid="automatic-rollback">
          Started automatically: the version it replaced failed its post-deploy verification
          {d.rollback_from_id && (
            <>
              {' '}(rolled back to <Link to={`/deployments/${d.rollback_from_id}`}>{d.rollback_from_id.slice(0, 8)}</Link>)
            </>
          )}
          .
        </p>
      )}
      {d.verification && <VerificationPanel verification={d.verification} />}
      <section className="card">
        <Timeline status={d.status} phases={d.phases} />
        {d.git_commit_message && <p className="muted small">{d.git_commit_message.split('\n')[0]}</p>}
      </section>
      <section className="card card-flush">
        <LogViewer lines={lines} live={!finished} onDownload={() => void downloadLog(deploymentId)} />
      </section>
      {d.status !== 'queued' && <DeploymentIssues deploymentId={d.id} />}
      {service.data && <RollbackDialog open={rollbackOpen} onClose={() => setRollbackOpen(false)} service={service.data} currentId={d.id} />}
    </>
  );
}
