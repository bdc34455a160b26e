import { useCallback } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { Badge, ErrorState, InlineError, PageHeader, Skeleton, timeAgo } from '../../components/ui.js';
import { AnalysisPanel } from '../../features/ai/index.js';
import { AssigneeSelect } from '../../features/issues/AssigneeSelect.js';
import { CountSparkline } from '../../features/issues/CountSparkline.js';
import { EventDetail } from '../../features/issues/EventDetail.js';
import { EventNav } from '../../features/issues/EventNav.js';
import { FirstDeploy } from '../../features/issues/FirstDeploy.js';
import { IssueActions, useIssueShortcuts } from '../../features/issues/IssueActions.js';
import { IssueStatusBadge, LevelBadge } from '../../features/issues/IssueBadges.js';
import type { IssueStatusChange } from '../../features/issues/issue-types.js';
import { useCan } from '../../lib/can.js';
import { useIssue, useIssueEvent, useUpdateIssue } from '../../lib/issues.js';
import { useService } from '../../lib/projects.js';

function ServiceLink({ serviceId }: { serviceId: string }) {
  const service = useService(serviceId);
  return <Link to={`/services/${serviceId}?tab=errors`}>{service.data?.name ?? 'service'}</Link>;
}

/** One issue: its state and who owns it, the deploy that introduced it, and its events one at a time (latest first). */
export default function IssueDetailPage() {
  const { issueId = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const eventParam = params.get('event') ?? 'latest';
  const issue = useIssue(issueId);
  const event = useIssueEvent(issueId, eventParam);
  const update = useUpdateIssue(issueId);
  const canWrite = useCan('issues.write');
  const go = useCallback((eventId: string) => setParams({ event: eventId }, { replace: false }), [setParams]);
  const { mutate } = update;
  const changeStatus = useCallback((c: IssueStatusChange) => mutate(c), [mutate]);
  useIssueShortcuts(issue.data?.status, canWrite && !update.isPending, changeStatus);

  if (issue.isPending) return <Skeleton rows={8} />;
  if (issue.isError) return <ErrorState error={issue.error} retry={() => void issue.refetch()} />;
  const i = issue.data;
  const e = event.data;
  return (
    <>
      <PageHeader
        title={i.title}
        subtitle={
          <>
            <IssueStatusBadge status={i.status} /> <LevelBadge level={i.level} /> {i.culprit && <code>{i.culprit}</code>} · <ServiceLink serviceId={i.service_id} /> ·{' '}
            <Link to="/issues">All issues</Link>
          </>
        }
        actions={canWrite && <IssueActions issue={i} pending={update.isPending} onChange={changeStatus} />}
      />
      <InlineError error={update.error} />
      <section className="card issue-summary">
        <FirstDeploy deployment={i.first_deployment} firstSeenAt={i.first_seen_at} />
        <dl className="facts facts-grid">
          <dt>Events</dt>
          <dd data-testid="issue-event-count">{i.event_count.toLocaleString()}</dd>
          <dt>Users</dt>
          <dd>{i.user_count.toLocaleString()}</dd>
          <dt>First seen</dt>
          <dd title={i.first_seen_at}>
            {timeAgo(i.first_seen_at)}
            {i.first_release && <> in <code>{i.first_release.slice(0, 12)}</code></>}
          </dd>
          <dt>Last seen</dt>
          <dd title={i.last_seen_at}>
            {timeAgo(i.last_seen_at)}
            {i.last_release && <> in <code>{i.last_release.slice(0, 12)}</code></>}
          </dd>
          <dt>Environments</dt>
          <dd>{i.environments.length ? i.environments.map((env) => <Badge key={env} tone="muted">{env}</Badge>) : <span className="muted">none</span>}</dd>
          <dt>Assignee</dt>
          <dd>
            <AssigneeSelect value={i.assigned_to} disabled={!canWrite || update.isPending} onChange={(assigned_to) => update.mutate({ assigned_to })} />
          </dd>
        </dl>
        <div className="row issue-sparks">
          <span className="muted small">
            24 h <CountSparkline counts={i.stats_24h} label="Last 24 hours" width={168} height={28} />
          </span>
          <span className="muted small">
            14 d <CountSparkline counts={i.stats_14d} label="Last 14 days" width={168} height={28} />
          </span>
        </div>
      </section>
      <AnalysisPanel issueId={i.id} />
      <div className="card-head">
        <h2>{eventParam === 'latest' ? 'Latest event' : 'Event'}</h2>
        <EventNav issueId={issueId} eventId={e?.event_id ?? null} newer={e?.newer_event_id ?? null} older={e?.older_event_id ?? null} onGo={go} />
      </div>
      {event.isPending && <Skeleton rows={8} />}
      {event.isError && <ErrorState error={event.error} retry={() => void event.refetch()} />}
      {e && <EventDetail event={e} />}
    </>
  );
}
