import { contracts } from '@syntra/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useMemo, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { ServerStatusBadge } from '../../components/StatusBadge.js';
import { EmptyState, ErrorState, InlineError, PageHeader, Skeleton, timeAgo } from '../../components/ui.js';
import { call } from '../../lib/api-client.js';
import { useCan } from '../../lib/can.js';
import { useServicesOnServer } from '../../lib/projects.js';
import { RANGES, type Range, useServer, useServerMetrics } from '../../lib/servers.js';

const TimeSeriesChart = lazy(() => import('../../components/TimeSeriesChart.js'));

function Charts({ serverId, memoryMb }: { serverId: string; memoryMb: number | null }) {
  const [range, setRange] = useState<Range>('1h');
  const metrics = useServerMetrics(serverId, range);
  const data = useMemo(() => {
    const points = metrics.data?.points ?? [];
    const range: [number, number] | undefined = metrics.data ? [Date.parse(metrics.data.from) / 1000, Date.parse(metrics.data.to) / 1000] : undefined;
    return {
      range,
      times: points.map((p) => Date.parse(p.ts) / 1000),
      cpu: [{ label: 'CPU', unit: '%', color: '#6366f1', values: points.map((p) => p.cpu_percent) }],
      mem: [{ label: 'Memory', unit: 'MB', color: '#10b981', values: points.map((p) => p.memory_used_mb) }],
      load: [{ label: 'Load (1 min)', unit: '', color: '#f59e0b', values: points.map((p) => p.load_1) }],
    };
  }, [metrics.data]);
  return (
    <section className="card">
      <div className="card-head">
        <h2>Resources</h2>
        <div className="segmented" role="radiogroup" aria-label="Range">
          {(Object.keys(RANGES) as Range[]).map((r) => (
            <button key={r} role="radio" aria-checked={r === range} className={r === range ? 'active' : ''} onClick={() => setRange(r)}>
              {r}
            </button>
          ))}
        </div>
      </div>
      {metrics.isPending && <Skeleton rows={4} height={30} />}
      {metrics.isError && <ErrorState error={metrics.error} retry={() => void metrics.refetch()} />}
      {metrics.data?.points.length === 0 && <EmptyState title="No samples in this range">Metrics arrive with the agent's heartbeats once it is connected.</EmptyState>}
      {metrics.data && metrics.data.points.length > 0 && (
        <Suspense fallback={<Skeleton rows={4} height={30} />}>
          <div className="charts">
            <div>
              <h3>CPU %</h3>
              <TimeSeriesChart times={data.times} series={data.cpu} range={data.range} />
            </div>
            <div>
              <h3>Memory{memoryMb ? ` (of ${Math.round(memoryMb)} MB)` : ''}</h3>
              <TimeSeriesChart times={data.times} series={data.mem} range={data.range} />
            </div>
            <div>
              <h3>Load</h3>
              <TimeSeriesChart times={data.times} series={data.load} range={data.range} />
            </div>
          </div>
        </Suspense>
      )}
    </section>
  );
}

function ServicesOnServer({ serverId }: { serverId: string }) {
  const services = useServicesOnServer(serverId);
  return (
    <section className="card">
      <div className="card-head">
        <h2>Services on this server</h2>
        <Link to={`/deployments?server=${serverId}`}>Deployments on this server</Link>
      </div>
      {services.isPending && <Skeleton rows={2} />}
      {services.isError && <ErrorState error={services.error} retry={() => void services.refetch()} />}
      {services.data?.length === 0 && <p className="muted">None yet. Create a service in a project and pick this server.</p>}
      {services.data && services.data.length > 0 && (
        <ul className="list" data-testid="server-services">
          {services.data.map((s) => (
            <li key={s.id}>
              <Link to={`/services/${s.id}`}>
                {s.project_name} / {s.name}
              </Link>
              <span className="badge badge-muted">{s.runtime}</span>
              <span className="muted small">{s.port ? `port ${s.port}` : ''} {s.domains.join(', ')}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export default function ServerDetailPage() {
  const { serverId = '' } = useParams();
  const server = useServer(serverId);
  const canWrite = useCan('servers.write');
  const canTerminal = useCan('terminal.open');
  const client = useQueryClient();
  const navigate = useNavigate();
  const remove = useMutation({
    mutationFn: () => call(contracts.deleteServersByServerId, { params: { serverId } }),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: ['servers'] });
      navigate('/servers');
    },
  });
  if (server.isPending) return <Skeleton rows={8} />;
  if (server.isError) return <ErrorState error={server.error} retry={() => void server.refetch()} />;
  const s = server.data;
  return (
    <>
      <PageHeader
        title={s.name}
        subtitle={<ServerStatusBadge status={s.status} />}
        actions={
          <>
            <Link className="btn" to={`/servers/${s.id}/timeline`}>
              Timeline
            </Link>
            {canTerminal && s.status === 'online' && (
              <Link className="btn btn-primary" to={`/servers/${s.id}/terminal`}>
                Open terminal
              </Link>
            )}
            {canWrite && (
              <button className="btn btn-danger" disabled={remove.isPending} onClick={() => confirm(`Remove ${s.name}? Its agent is disconnected and its token revoked.`) && remove.mutate()}>
                Remove server
              </button>
            )}
          </>
        }
      />
      <InlineError error={remove.error} />
      <section className="card">
        <h2>Facts</h2>
        <dl className="facts facts-grid">
          <dt>Hostname</dt>
          <dd>{s.hostname ?? '—'}</dd>
          <dt>Public IP</dt>
          <dd>{s.public_ip ?? '—'}</dd>
          <dt>Private IP</dt>
          <dd>{s.private_ip ?? '—'}</dd>
          <dt>OS</dt>
          <dd>{s.os_name ? `${s.os_name} ${s.os_version ?? ''} (${s.arch ?? '?'})` : '—'}</dd>
          <dt>Runtime</dt>
          <dd>
            {s.runtime} {s.runtime_version ?? ''}
          </dd>
          <dt>Agent</dt>
          <dd>{s.agent_version ?? 'not connected yet'}</dd>
          <dt>CPU / memory / disk</dt>
          <dd>
            {s.cpu_cores ?? '?'} cores · {s.memory_mb ? `${Math.round(s.memory_mb / 1024)} GB` : '?'} · {s.disk_gb ?? '?'} GB
          </dd>
          <dt>Last heartbeat</dt>
          <dd>{timeAgo(s.last_heartbeat_at)}</dd>
          <dt>Tags</dt>
          <dd>{s.tags.length ? s.tags.join(', ') : '—'}</dd>
        </dl>
      </section>
      <Charts serverId={s.id} memoryMb={s.memory_mb} />
      <ServicesOnServer serverId={s.id} />
    </>
  );
}
