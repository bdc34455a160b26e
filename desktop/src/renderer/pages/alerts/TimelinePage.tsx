import { useEffect } from 'react';
import { Link, useParams } from 'react-router';
import { PageHeader } from '../../components/ui.js';
import { TimeRangePicker } from '../../features/telemetry/TimeRangePicker.js';
import { useTimeRange } from '../../features/telemetry/time-range.js';
import { TimelineView } from './TimelineView.js';

/** Either side of the incident a link points at (`?event=<id>&at=<iso>`), when no range is chosen. */
const AROUND_MS = 2 * 3_600_000;

/**
 * The incident timeline of a service or a server (the page a notification's link opens): the series
 * behind what happened, every deploy, issue, alert, failed check and offline/online on one time
 * axis. The range lives in the URL like the explorers'; `?event=&at=` centres it on an incident.
 */
export default function TimelinePage({ kind }: { kind: 'service' | 'server' }) {
  const params = useParams();
  const id = (kind === 'service' ? params.serviceId : params.serverId) ?? '';
  const { range, setPreset, setFixed, refresh, params: search } = useTimeRange('24h');
  const focus = search.get('event');
  const at = Date.parse(search.get('at') ?? '');

  useEffect(() => {
    // An incident's link: the hours around it, up to now.
    if (Number.isFinite(at) && !search.get('from') && !search.get('range')) setFixed(at - AROUND_MS, Math.min(Date.now() + 1000, at + AROUND_MS));
    // Only on arrival: a range chosen afterwards stays.
  }, []);

  return (
    <>
      <PageHeader
        title={`${kind === 'service' ? 'Service' : 'Server'} timeline`}
        subtitle={kind === 'service' ? 'Deploys, alerts, new and regressed issues and failed health checks, over error events and p95 latency.' : 'Offline/online and alerts, over the host’s CPU and memory.'}
        actions={
          <div className="row">
            <TimeRangePicker range={range} onPreset={setPreset} onFixed={setFixed} onRefresh={refresh} />
            <Link className="btn" to={kind === 'service' ? `/services/${id}` : `/servers/${id}`}>
              Open {kind}
            </Link>
          </div>
        }
      />
      <section className="card">
        <TimelineView kind={kind} id={id} range={range} onZoom={setFixed} focusEventId={focus} onNews={range.preset ? refresh : undefined} />
      </section>
    </>
  );
}
