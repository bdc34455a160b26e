import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { Badge, EmptyState, ErrorState, InlineError, Skeleton, timeAgo } from '../../components/ui.js';
import { useCan } from '../../lib/can.js';
import { useBulkStatus, useIssues } from '../../lib/issues.js';
import { useOrgId } from '../../lib/queries.js';
import { useMemberName } from './AssigneeSelect.js';
import { CountSparkline } from './CountSparkline.js';
import { IssueStatusBadge, LevelBadge } from './IssueBadges.js';
import { IssueFilterBar } from './IssueFilterBar.js';
import { statusActions } from './IssueActions.js';
import { filtersFromParams, type IssueFilters, isNarrowed, withFilter } from './issue-filters.js';
import type { Issue, IssueStatusChange } from './issue-types.js';
import { useListKeys } from './use-list-keys.js';
import { useLiveIssueMarks } from './use-live-issues.js';

const BULK: { label: string; change: IssueStatusChange }[] = [
  { label: 'Resolve', change: { status: 'resolved' } },
  { label: 'Ignore', change: { status: 'ignored' } },
  { label: 'Unresolve', change: { status: 'unresolved' } },
];

function IssueRow({ issue, period, focused, selected, canWrite, mark, assignee, onSelect }: {
  issue: Issue;
  period: IssueFilters['period'];
  focused: boolean;
  selected: boolean;
  canWrite: boolean;
  mark: 'new' | 'regressed' | undefined;
  assignee: string | null;
  onSelect: (on: boolean) => void;
}) {
  const counts = (period === '24h' ? issue.stats_24h : issue.stats_14d) ?? [];
  return (
    <tr data-testid="issue-row" className={focused ? 'row-focused' : undefined} aria-selected={focused}>
      {canWrite && (
        <td className="issue-check">
          <input type="checkbox" aria-label={`Select ${issue.title}`} checked={selected} onChange={(e) => onSelect(e.target.checked)} />
        </td>
      )}
      <td className="issue-main">
        <Link to={`/issues/${issue.id}`} className="issue-title">
          {issue.title}
        </Link>
        <div className="muted small issue-sub">
          {issue.culprit && <code>{issue.culprit}</code>}
          <IssueStatusBadge status={issue.status} />
          <LevelBadge level={issue.level} />
          {issue.environments.slice(0, 3).map((e) => (
            <Badge key={e} tone="muted">
              {e}
            </Badge>
          ))}
          {mark && <Badge tone={mark === 'new' ? 'info' : 'bad'}>{mark === 'new' ? 'just in' : 'just regressed'}</Badge>}
        </div>
      </td>
      <td>
        <CountSparkline counts={counts} label={period === '24h' ? 'Last 24 hours' : 'Last 14 days'} />
      </td>
      <td className="num" data-testid="issue-events">
        {issue.event_count.toLocaleString()}
      </td>
      <td className="num">{issue.user_count.toLocaleString()}</td>
      <td className="muted small">
        <span title={issue.last_seen_at}>{timeAgo(issue.last_seen_at)}</span>
        <br />
        <span title={issue.first_seen_at}>first {timeAgo(issue.first_seen_at)}</span>
      </td>
      <td className="muted small">{assignee ?? '—'}</td>
    </tr>
  );
}

/**
 * The issues list (the organisation's, or one service's Errors tab): filters and sort in the URL,
 * cursor pages, sparklines, bulk status changes and j/k/Enter/x/r/i/u on the focused row.
 */
export function IssueList({ serviceId, services }: { serviceId?: string; services?: { id: string; name: string }[] }) {
  const orgId = useOrgId();
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const urlFilters = filtersFromParams(params);
  const filters: IssueFilters = serviceId ? { ...urlFilters, serviceId } : urlFilters;
  const issues = useIssues(orgId, filters);
  const canWrite = useCan('issues.write');
  const bulk = useBulkStatus();
  const memberName = useMemberName();
  const marks = useLiveIssueMarks();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [cursor, setCursor] = useState(-1);
  const rows = issues.data?.pages.flatMap((p) => p.items as Issue[]) ?? [];

  const change = (ids: string[], c: IssueStatusChange) => bulk.mutate({ ids, change: c }, { onSuccess: () => setSelected(new Set()) });
  useListKeys({
    count: rows.length,
    cursor,
    setCursor: (i) => {
      setCursor(i);
      document.querySelectorAll('[data-testid="issue-row"]')[i]?.scrollIntoView({ block: 'nearest' });
    },
    onKey: (key, i) => {
      const issue = rows[i]!;
      if (key === 'Enter' || key === 'o') {
        void navigate(`/issues/${issue.id}`);
        return true;
      }
      if (!canWrite) return false;
      if (key === 'x') {
        setSelected((s) => {
          const next = new Set(s);
          if (!next.delete(issue.id)) next.add(issue.id);
          return next;
        });
        return true;
      }
      const action = statusActions(issue.status).find((a) => a.key === key);
      if (!action) return false;
      change(selected.size > 0 ? [...selected] : [issue.id], action.change);
      return true;
    },
  });

  const allSelected = rows.length > 0 && rows.every((r) => selected.has(r.id));
  return (
    <div className="issue-list">
      <IssueFilterBar filters={filters} services={serviceId ? undefined : services} />
      {canWrite && selected.size > 0 && (
        <div className="bulk-bar" role="toolbar" aria-label="Selected issues">
          <span>{selected.size} selected</span>
          {BULK.map((b) => (
            <button key={b.label} className="btn btn-small" disabled={bulk.isPending} onClick={() => change([...selected], b.change)}>
              {b.label}
            </button>
          ))}
          <button className="btn btn-ghost btn-small" onClick={() => setSelected(new Set())}>
            Clear
          </button>
        </div>
      )}
      <InlineError error={bulk.error} />
      {issues.isPending && <Skeleton rows={6} />}
      {issues.isError && !issues.isFetchNextPageError && <ErrorState error={issues.error} retry={() => void issues.refetch()} />}
      {issues.data && rows.length === 0 &&
        (isNarrowed(urlFilters) ? (
          <EmptyState title="No issues match" action={<button className="btn" onClick={() => setParams(serviceId ? { tab: params.get('tab') ?? 'errors' } : {}, { replace: true })}>Clear filters</button>}>
            Nothing with these filters. Resolved and ignored issues are under their own status.
          </EmptyState>
        ) : (
          <EmptyState title="No unresolved issues">
            {serviceId
              ? 'Errors this service reports appear here as they happen: point a Sentry SDK at its DSN (under Client keys).'
              : 'Errors your services report appear here as they happen. Point a Sentry SDK at a service’s DSN (its Errors tab shows it with setup snippets).'}
          </EmptyState>
        ))}
      {rows.length > 0 && (
        <table className="table issues-table" data-testid="issues-table">
          <thead>
            <tr>
              {canWrite && (
                <th className="issue-check">
                  <input type="checkbox" aria-label="Select all" checked={allSelected} onChange={(e) => setSelected(e.target.checked ? new Set(rows.map((r) => r.id)) : new Set())} />
                </th>
              )}
              <th>Issue</th>
              <th>
                <span className="segmented segmented-small" role="radiogroup" aria-label="Graph period">
                  {(['24h', '14d'] as const).map((p) => (
                    <button key={p} role="radio" aria-checked={filters.period === p} className={filters.period === p ? 'active' : ''} onClick={() => setParams(withFilter(params, 'period', p), { replace: true })}>
                      {p}
                    </button>
                  ))}
                </span>
              </th>
              <th className="num">Events</th>
              <th className="num">Users</th>
              <th>Seen</th>
              <th>Assignee</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((issue, i) => (
              <IssueRow
                key={issue.id}
                issue={issue}
                period={filters.period}
                focused={i === cursor}
                selected={selected.has(issue.id)}
                canWrite={canWrite}
                mark={marks.get(issue.id)}
                assignee={memberName(issue.assigned_to)}
                onSelect={(on) =>
                  setSelected((s) => {
                    const next = new Set(s);
                    if (on) next.add(issue.id);
                    else next.delete(issue.id);
                    return next;
                  })
                }
              />
            ))}
          </tbody>
        </table>
      )}
      {rows.length > 0 && (
        <p className="muted small keys-hint">
          <kbd>j</kbd>/<kbd>k</kbd> move · <kbd>Enter</kbd> open{canWrite && <> · <kbd>x</kbd> select · <kbd>r</kbd> resolve · <kbd>i</kbd> ignore · <kbd>u</kbd> unresolve</>}
        </p>
      )}
      {issues.hasNextPage && (
        <div className="load-more">
          <button className="btn" disabled={issues.isFetchingNextPage} onClick={() => void issues.fetchNextPage()}>
            {issues.isFetchingNextPage ? 'Loading…' : 'Load more'}
          </button>
        </div>
      )}
      {issues.isFetchNextPageError && <ErrorState error={issues.error} retry={() => void issues.fetchNextPage()} />}
    </div>
  );
}
