import { useMemo } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { Badge, ErrorState, PageHeader, Skeleton, timeAgo } from '../../components/ui.js';
import { SEVERITY_TONE, STATUS_TONE, useAlertEvent } from '../../lib/alerts.js';
import { AckButton } from './AckButton.js';
import { TimelineView } from './TimelineView.js';

/** The context drawn around an incident: an hour before it, until a quarter of an hour after it ended (or now). */
const BEFORE_MS = 3_600_000;
const AFTER_MS = 15 * 60_000;

/** One alert event (the page a notification opens): its values, its delivery log, a way to the timeline. */
export default function AlertEventPage() {
  const { eventId = '' } = useParams();
  const event = useAlertEvent(eventId);
  const navigate = useNavigate();
  if (event.isPending) return <Skeleton rows={6} />;
  if (event.isError) return <ErrorState error={event.error} retry={() => void event.refetch()} />;
  const e = event.data;
  const subject = e.service_id ? { kind: 'service' as const, id: e.service_id } : e.server_id ? { kind: 'server' as const, id: e.server_id } : null;
  const base = subject ? `/${subject.kind}s/${subject.id}/timeline` : null;
  const timeline = base ? `${base}?event=${e.id}&at=${encodeURIComponent(e.started_at ?? '')}` : null;
  return (
    <>
      <PageHeader
        title={e.rule_name}
        subtitle={e.summary}
        actions={
          <div className="row">
            {e.status !== 'resolved' && <AckButton eventId={e.id} acknowledged={e.acknowledged_by !== null} />}
            {timeline && (
              <Link className="btn" to={timeline} data-testid="open-timeline">
                Timeline
              </Link>
            )}
          </div>
        }
      />
      <section className="card" data-testid="alert-event">
        <dl className="facts">
          <dt>Status</dt>
          <dd>
            <Badge tone={STATUS_TONE[e.status]}>{e.status}</Badge> <Badge tone={SEVERITY_TONE[e.severity]}>{e.severity}</Badge> {e.silenced && <span className="muted">silenced (nobody was told)</span>}
          </dd>
          <dt>Started</dt>
          <dd title={e.started_at}>{timeAgo(e.started_at)}</dd>
          {e.fired_at && (
            <>
              <dt>Fired</dt>
              <dd title={e.fired_at}>{timeAgo(e.fired_at)}</dd>
            </>
          )}
          {e.resolved_at && (
            <>
              <dt>Resolved</dt>
              <dd title={e.resolved_at}>{timeAgo(e.resolved_at)}</dd>
            </>
          )}
          <dt>Acknowledged</dt>
          <dd>{e.acknowledged_at ? timeAgo(e.acknowledged_at) : 'not yet'}</dd>
          {e.service_id && (
            <>
              <dt>Service</dt>
              <dd>
                <Link to={`/services/${e.service_id}`}>open service</Link>
              </dd>
            </>
          )}
          {e.server_id && (
            <>
              <dt>Server</dt>
              <dd>
                <Link to={`/servers/${e.server_id}`}>open server</Link>
              </dd>
            </>
          )}
        </dl>
        {Object.keys(e.values).length > 0 && <pre className="small"><code>{JSON.stringify(e.values, null, 2)}</code></pre>}
      </section>
      {subject && base && <IncidentContext subject={subject} eventId={e.id} startedAt={e.started_at} resolvedAt={e.resolved_at} onZoom={(from, to) => navigate(`${base}?event=${e.id}&from=${Math.round(from)}&to=${Math.round(to)}`)} />}
      <section className="card">
        <h2>Deliveries</h2>
        {e.deliveries.length === 0 && <p className="muted">No channel was notified{e.silenced ? ' (silenced)' : ' (the rule names no channel)'}.</p>}
        {e.deliveries.length > 0 && (
          <table className="table" data-testid="deliveries">
            <thead>
              <tr>
                <th>Channel</th>
                <th>What</th>
                <th>Status</th>
                <th>Attempts</th>
              </tr>
            </thead>
            <tbody>
              {e.deliveries.map((d) => (
                <tr key={d.id}>
                  <td>
                    {d.channel_name} <span className="muted small">{d.channel_kind}</span>
                  </td>
                  <td className="small">{d.topic}</td>
                  <td>
                    <Badge tone={d.status === 'delivered' ? 'ok' : d.status === 'failed' ? 'bad' : 'muted'}>{d.status}</Badge>
                  </td>
                  <td className="small">
                    {d.attempts.map((a) => (
                      <div key={a.attempt} title={a.at}>
                        #{a.attempt}: {a.status_code ?? '—'} {a.error ? <span className="muted">{a.error}</span> : null} <span className="muted">({a.duration_ms} ms)</span>
                      </div>
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}

/** The service's or server's timeline around the incident, the incident marked (zoom: the full timeline). */
function IncidentContext({ subject, eventId, startedAt, resolvedAt, onZoom }: { subject: { kind: 'service' | 'server'; id: string }; eventId: string; startedAt: string; resolvedAt: string | null; onZoom: (from: number, to: number) => void }) {
  // Anchored once per incident (and its resolution), so the window does not move on every render.
  const range = useMemo(() => {
    const now = Date.now();
    const started = Date.parse(startedAt) || now;
    return { from: started - BEFORE_MS, to: Math.min(now + 1000, (resolvedAt ? Date.parse(resolvedAt) : now) + AFTER_MS) };
  }, [startedAt, resolvedAt]);
  return (
    <section className="card" data-testid="incident-context">
      <h2>In context</h2>
      <TimelineView kind={subject.kind} id={subject.id} range={range} onZoom={onZoom} focusEventId={eventId} compact />
    </section>
  );
}
