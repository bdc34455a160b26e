import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { timeAgo } from '../../components/ui.js';
import { Breadcrumbs } from './Breadcrumbs.js';
import type { IssueEventDetail } from './issue-types.js';
import { KeyValues, TagChips } from './KeyValues.js';
import { StackTrace } from './StackTrace.js';

function Section({ title, children, testId }: { title: string; children: ReactNode; testId?: string }) {
  return (
    <section className="card event-section" data-testid={testId}>
      <h2>{title}</h2>
      {children}
    </section>
  );
}

function requestEntries(r: NonNullable<IssueEventDetail['request']>): [string, unknown][] {
  return [
    ['Method', r.method],
    ['URL', r.url],
    ['Query', r.query_string],
    ...Object.entries(r.headers ?? {}).map(([k, v]) => [k, v] as [string, unknown]),
    ['Body', r.data],
  ];
}

/** One event in full: where it ran (release, environment, deployment), its exceptions, breadcrumbs, tags, request, user, contexts. */
export function EventDetail({ event }: { event: IssueEventDetail }) {
  const tags = Object.entries(event.tags ?? {}).map(([k, v]) => [k, String(v)] as const);
  const contexts = Object.entries(event.contexts ?? {});
  return (
    <>
      <section className="card">
        <dl className="facts facts-grid event-facts">
          <dt>Event</dt>
          <dd>
            <code data-testid="event-id">{event.event_id}</code>
          </dd>
          <dt>When</dt>
          <dd title={event.timestamp}>{timeAgo(event.timestamp)}</dd>
          <dt>Release</dt>
          <dd>{event.release ? <code>{event.release.slice(0, 12)}</code> : <span className="muted">none</span>}</dd>
          <dt>Environment</dt>
          <dd>{event.environment ?? <span className="muted">none</span>}</dd>
          <dt>Deployment</dt>
          <dd>
            {event.deployment_id ? (
              <Link to={`/deployments/${event.deployment_id}`} data-testid="event-deployment">
                open the deployment
              </Link>
            ) : (
              <span className="muted">none matched</span>
            )}
          </dd>
          {event.trace_id && (
            <>
              <dt>Trace</dt>
              <dd>
                <Link to={`/observability/traces/${event.trace_id}`} data-testid="event-trace">
                  open its trace
                </Link>
              </dd>
            </>
          )}
          {event.message && (
            <>
              <dt>Message</dt>
              <dd>{event.message}</dd>
            </>
          )}
        </dl>
      </section>
      <Section title="Stack trace">
        <StackTrace exceptions={event.exceptions ?? []} />
      </Section>
      <Section title="Breadcrumbs">
        <Breadcrumbs breadcrumbs={event.breadcrumbs ?? []} eventAt={event.timestamp} />
      </Section>
      <div className="event-columns">
        <Section title="Tags">
          <TagChips tags={tags} />
        </Section>
        <Section title="User">
          <KeyValues
            label="User"
            empty="No user was attached (the SDK's setUser)."
            entries={event.user ? [['ID', event.user.id], ['Email', event.user.email], ['Username', event.user.username], ['IP address', event.user.ip_address]] : []}
          />
        </Section>
      </div>
      <Section title="Request">
        <KeyValues label="Request" empty="No HTTP request was attached to this event." entries={event.request ? requestEntries(event.request) : []} />
      </Section>
      {event.attachments.length > 0 && (
        <Section title="Attachments">
          <ul className="list">
            {event.attachments.map((a, i) => (
              <li key={i}>
                <code>{a.filename}</code>
                <span className="muted small">
                  {a.content_type ?? 'binary'} · {(a.size / 1024).toFixed(1)} KiB
                </span>
              </li>
            ))}
          </ul>
        </Section>
      )}
      {contexts.length > 0 && (
        <Section title="Contexts">
          <div className="event-columns">
            {contexts.map(([name, values]) => (
              <div key={name}>
                <h3>{name}</h3>
                <KeyValues label={name} empty="—" entries={values && typeof values === 'object' ? Object.entries(values) : [['value', values]]} />
              </div>
            ))}
          </div>
        </Section>
      )}
    </>
  );
}
