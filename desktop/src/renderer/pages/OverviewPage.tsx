import { Link } from 'react-router';
import { ServerStatusBadge } from '../components/StatusBadge.js';
import { EmptyState, ErrorState, PageHeader, Skeleton, timeAgo } from '../components/ui.js';
import { useCan } from '../lib/can.js';
import { useFailingServices } from '../lib/projects.js';
import { useOrgId } from '../lib/queries.js';
import { useServers } from '../lib/servers.js';
import { useSession } from '../lib/session.js';
import { RecentDeployments } from './overview/RecentDeployments.js';

function Stat({ label, value, tone, to }: { label: string; value: number | string; tone?: string; to: string }) {
  return (
    <Link to={to} className={`stat ${tone ? `stat-${tone}` : ''}`}>
      <span className="stat-value">{value}</span>
      <span className="stat-label">{label}</span>
    </Link>
  );
}

export default function OverviewPage() {
  const orgId = useOrgId();
  const orgName = useSession((s) => s.orgs.find((o) => o.id === s.orgId)?.name);
  const servers = useServers(orgId);
  const canAddServer = useCan('servers.write');
  const list = servers.data ?? [];
  const online = list.filter((s) => s.status === 'online').length;
  const attention = list.filter((s) => s.status === 'offline' || s.status === 'error');
  // A service whose latest deployment failed needs a look too (the previous version keeps serving).
  const failed = useFailingServices(orgId).data ?? [];

  return (
    <>
      <PageHeader title="Overview" subtitle={orgName} />
      {servers.isPending && <Skeleton rows={4} height={60} />}
      {servers.isError && <ErrorState error={servers.error} retry={() => void servers.refetch()} />}
      {servers.data && (
        <div className="stats" data-testid="overview-stats">
          <Stat label="Servers online" value={online} tone="ok" to="/servers" />
          <Stat label="Servers offline" value={list.length - online} tone={list.length - online > 0 ? 'bad' : undefined} to="/servers" />
          <Stat label="Servers total" value={list.length} to="/servers" />
        </div>
      )}
      {servers.data && list.length === 0 && (
        <EmptyState
          title="Start by adding a server"
          action={
            canAddServer ? (
              <Link className="btn btn-primary" to="/servers/new">
                Add your first server
              </Link>
            ) : undefined
          }
        >
          {canAddServer
            ? 'Syntra deploys to your own machines. Add one, run the install command on it, and watch it come online here.'
            : 'No servers yet. An admin of this organisation can add the first one.'}
        </EmptyState>
      )}
      {attention.length + failed.length > 0 && (
        <section className="card">
          <h2>Needs attention</h2>
          <ul className="list">
            {attention.slice(0, 10).map((s) => (
              <li key={s.id}>
                <Link to={`/servers/${s.id}`}>{s.name}</Link> <ServerStatusBadge status={s.status} />
                <span className="muted small"> last seen {timeAgo(s.last_heartbeat_at)}</span>
              </li>
            ))}
            {attention.length > 10 && <li className="muted">…and {attention.length - 10} more</li>}
            {failed.map((d) => (
              <li key={d.id}>
                <Link to={`/deployments/${d.id}`}>
                  {d.project_name} / {d.service_name}
                </Link>
                <span className="badge badge-bad">deploy failed</span>
                <span className="muted small">{d.error_message ?? ''}</span>
              </li>
            ))}
          </ul>
        </section>
      )}
      {servers.data && list.length > 0 && attention.length + failed.length === 0 && (
        <section className="card">
          <h2>Needs attention</h2>
          <p className="muted">Nothing right now: every server is reporting and no deploy has failed.</p>
        </section>
      )}
      <RecentDeployments />
    </>
  );
}
