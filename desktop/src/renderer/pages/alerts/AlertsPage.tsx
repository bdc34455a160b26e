import { ALERT_EVENT_STATUSES, type AlertEventStatus } from '@syntra/shared';
import { Link, useSearchParams } from 'react-router';
import { Badge, EmptyState, ErrorState, PageHeader, Skeleton, timeAgo } from '../../components/ui.js';
import { SEVERITY_TONE, STATUS_TONE, useAlertEvents } from '../../lib/alerts.js';
import { useOrgId } from '../../lib/queries.js';
import { AckButton } from './AckButton.js';
import { AlertsTabs } from './AlertsTabs.js';

/** Alert events of the organisation, newest first, by status (kept in the URL); live over the stream. */
export default function AlertsPage() {
  const orgId = useOrgId();
  const [params, setParams] = useSearchParams();
  const raw = params.get('status') ?? '';
  const status = (ALERT_EVENT_STATUSES as readonly string[]).includes(raw) ? (raw as AlertEventStatus) : '';
  const events = useAlertEvents(orgId, status);
  return (
    <>
      <PageHeader title="Alerts" subtitle="What your rules caught: pending, firing and resolved events, with who acknowledged them." />
      <AlertsTabs />
      <div className="row filters">
        <label className="field">
          <span>Status</span>
          <select value={status} onChange={(e) => setParams(e.target.value ? { status: e.target.value } : {}, { replace: true })} aria-label="Status">
            <option value="">All</option>
            {ALERT_EVENT_STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
      </div>
      <section className="card">
        {events.isPending && <Skeleton rows={4} />}
        {events.isError && <ErrorState error={events.error} retry={() => void events.refetch()} />}
        {events.data?.items.length === 0 && (
          <EmptyState title={status ? `No ${status} alerts` : 'No alerts yet'} action={<Link to="/alerts/rules">Set up a rule</Link>}>
            Alerts appear here, in the bell and on your desktop as soon as a rule fires.
          </EmptyState>
        )}
        {events.data && events.data.items.length > 0 && (
          <table className="table" data-testid="alert-events">
            <thead>
              <tr>
                <th>Status</th>
                <th>Rule</th>
                <th>Summary</th>
                <th>Started</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {events.data.items.map((e) => (
                <tr key={e.id} data-testid="alert-event-row">
                  <td>
                    <Badge tone={STATUS_TONE[e.status]}>{e.status}</Badge> <Badge tone={SEVERITY_TONE[e.severity]}>{e.severity}</Badge>
                    {e.silenced && <span className="muted small"> silenced</span>}
                  </td>
                  <td>
                    <Link to={`/alerts/events/${e.id}`}>{e.rule_name}</Link>
                  </td>
                  <td className="small">{e.summary}</td>
                  <td className="muted small" title={e.started_at}>
                    {timeAgo(e.started_at)}
                  </td>
                  <td>{e.status !== 'resolved' && <AckButton eventId={e.id} acknowledged={e.acknowledged_by !== null} />}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
