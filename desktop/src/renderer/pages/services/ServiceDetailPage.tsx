import { contracts, type Service } from '@syntra/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { EmptyState, ErrorState, InlineError, PageHeader, Skeleton } from '../../components/ui.js';
import { call } from '../../lib/api-client.js';
import { useCan } from '../../lib/can.js';
import { projectKeys, useDeployments, useService } from '../../lib/projects.js';
import { DeploymentCommitCell, DeploymentStatusCell, DeploymentTimingCells } from '../deployments/deployment-cells.js';
import { ClientKeys } from './ClientKeys.js';
import { DETECTION_FAILED, DockerfileAssistant } from '../../features/ai/index.js';
import { LogExplorer } from '../../features/telemetry/LogExplorer.js';
import { MetricsExplorer } from '../../features/telemetry/MetricsExplorer.js';
import { TracesExplorer } from '../../features/telemetry/TracesExplorer.js';
import { EnvEditor } from './EnvEditor.js';
import { HealthChecks } from './HealthChecks.js';
import { RestartButton } from './RestartButton.js';
import { RUNTIME_LABEL } from './RuntimeSelect.js';
import { ServiceErrors } from './ServiceErrors.js';
import { ServiceSettings } from './ServiceSettings.js';

const SOURCE_LABEL: Record<Service['source_type'], string> = { auto: 'detected build', dockerfile: 'Dockerfile build', image: 'prebuilt image' };

const TABS = [
  { id: 'deployments', label: 'Deployments' },
  { id: 'errors', label: 'Errors' },
  { id: 'logs', label: 'Logs' },
  { id: 'traces', label: 'Traces' },
  { id: 'metrics', label: 'Metrics' },
  { id: 'health', label: 'Health checks' },
  { id: 'settings', label: 'Settings' },
  { id: 'env', label: 'Environment' },
  { id: 'keys', label: 'Client keys' },
] as const;

function Deployments({ serviceId, currentId }: { serviceId: string; currentId: string | null }) {
  const deployments = useDeployments(serviceId);
  if (deployments.isPending) return <Skeleton rows={4} />;
  if (deployments.isError) return <ErrorState error={deployments.error} retry={() => void deployments.refetch()} />;
  if (deployments.data.length === 0) return <EmptyState title="Not deployed yet">Press Deploy to build the branch head and start it on the server.</EmptyState>;
  const latest = deployments.data[0]!;
  return (
    <>
      {/* The last build found nothing it knows how to build: the same offer as the wizard's. */}
      {latest.status === 'failed' && latest.error_message && DETECTION_FAILED.test(latest.error_message) && <DockerfileAssistant serviceId={serviceId} />}
      <table className="table" data-testid="deployments-table">
        <thead>
          <tr>
            <th>Status</th>
            <th>Commit</th>
            <th>Trigger</th>
            <th>Started</th>
            <th>Duration</th>
          </tr>
        </thead>
        <tbody>
          {deployments.data.map((d) => (
            <tr key={d.id}>
              <DeploymentStatusCell d={d} live={d.id === currentId} />
              <DeploymentCommitCell d={d} />
              <DeploymentTimingCells d={d} />
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

export default function ServiceDetailPage() {
  const { serviceId = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const tab = TABS.find((t) => t.id === params.get('tab'))?.id ?? 'deployments';
  const service = useService(serviceId);
  const canDeploy = useCan('deployments.create');
  const client = useQueryClient();
  const navigate = useNavigate();
  const deploy = useMutation({
    mutationFn: () => call(contracts.postServicesByServiceIdDeploy, { params: { serviceId }, body: {} }),
    onSuccess: async ({ id }) => {
      await client.invalidateQueries({ queryKey: projectKeys.deployments(serviceId) });
      navigate(`/deployments/${id}`);
    },
  });
  if (service.isPending) return <Skeleton rows={6} />;
  if (service.isError) return <ErrorState error={service.error} retry={() => void service.refetch()} />;
  const s = service.data;
  return (
    <>
      <PageHeader
        title={s.name}
        subtitle={
          <>
            <Link to={`/projects/${s.project_id}`}>Project</Link> · <Link to={`/servers/${s.server_id}`}>Server</Link> · <Link to={`/services/${s.id}/timeline`}>Timeline</Link> · {SOURCE_LABEL[s.source_type]} ·{' '}
            <span data-testid="service-runtime">{RUNTIME_LABEL[s.runtime]}</span>
            {s.port ? ` · port ${s.port}` : ''}
          </>
        }
        actions={
          canDeploy && (
            <>
              <RestartButton service={s} />
              <button className="btn btn-primary" disabled={deploy.isPending} onClick={() => deploy.mutate()}>
                {deploy.isPending ? 'Starting…' : 'Deploy'}
              </button>
            </>
          )
        }
      />
      <InlineError error={deploy.error} />
      <div className="tabs" role="tablist">
        {TABS.map((t) => (
          <button key={t.id} role="tab" aria-selected={tab === t.id} className={tab === t.id ? 'active' : ''} onClick={() => setParams({ tab: t.id })}>
            {t.label}
          </button>
        ))}
      </div>
      <section className="card">
        {tab === 'deployments' && <Deployments serviceId={s.id} currentId={s.current_deployment_id} />}
        {tab === 'errors' && <ServiceErrors serviceId={s.id} />}
        {tab === 'logs' && <LogExplorer serviceId={s.id} />}
        {tab === 'traces' && <TracesExplorer serviceId={s.id} />}
        {tab === 'metrics' && <MetricsExplorer serviceId={s.id} />}
        {tab === 'health' && <HealthChecks service={s} />}
        {tab === 'settings' && <ServiceSettings service={s} />}
        {tab === 'env' && <EnvEditor serviceId={s.id} />}
        {tab === 'keys' && <ClientKeys serviceId={s.id} />}
      </section>
    </>
  );
}
