import { Link, useParams } from 'react-router';
import { Badge, EmptyState, ErrorState, PageHeader, Skeleton } from '../../components/ui.js';
import { useTimeline } from '../../lib/alerts.js';

const TONE = { critical: 'bad', warning: 'warn', info: 'info', ok: 'ok' } as const;

function linkOf(ref: { type: string; id: string } | null): string | null {
  if (!ref) return null;
  if (ref.type === 'deployment') return `/deployments/${ref.id}`;
  if (ref.type === 'alert_event') return `/alerts/events/${ref.id}`;
  return null;
}

/** The incident timeline of a service or a server: one time axis, newest first (the last 24 h). */
export default function TimelinePage({ kind }: { kind: 'service' | 'server' }) {
  const params = useParams();
  const id = (kind === 'service' ? params.serviceId : params.serverId) ?? '';
  const timeline = useTimeline(kind, id);
  return (
    <>
      <PageHeader
        title={`${kind === 'service' ? 'Service' : 'Server'} timeline`}
        subtitle="Deploys, alerts, failed health checks and offline/online over the last 24 hours."
        actions={
          <Link className="btn" to={kind === 'service' ? `/services/${id}` : `/servers/${id}`}>
            Open {kind}
          </Link>
        }
      />
      <section className="card">
        {timeline.isPending && <Skeleton rows={5} />}
        {timeline.isError && <ErrorState error={timeline.error} retry={() => void timeline.refetch()} />}
        {timeline.data?.entries.length === 0 && <EmptyState title="A quiet day">Nothing happened here in the last 24 hours.</EmptyState>}
        {timeline.data && timeline.data.entries.length > 0 && (
          <ol className="timeline" data-testid="timeline">
            {timeline.data.entries.map((e, i) => {
              const to = linkOf(e.ref);
              return (
                <li key={`${e.at}-${i}`} className="row">
                  <span className="muted small" title={e.at}>
                    {new Date(e.at).toLocaleString()}
                  </span>
                  <Badge tone={TONE[e.severity]}>{e.kind.replace('_', ' ')}</Badge>
                  {to ? <Link to={to}>{e.title}</Link> : <span>{e.title}</span>}
                  {typeof e.detail.summary === 'string' && <span className="muted small">{e.detail.summary}</span>}
                </li>
              );
            })}
          </ol>
        )}
      </section>
    </>
  );
}
