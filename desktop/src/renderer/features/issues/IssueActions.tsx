import { useEffect } from 'react';
import type { Issue, IssueStatusChange } from './issue-types.js';
import { shortcutKey } from './use-list-keys.js';

/** The changes a status allows, in the order they are offered; the letter is its shortcut on the list. */
export function statusActions(status: Issue['status']): { label: string; change: IssueStatusChange; key: string }[] {
  if (status === 'resolved' || status === 'ignored') return [{ label: 'Unresolve', change: { status: 'unresolved' }, key: 'u' }];
  return [
    { label: 'Resolve', change: { status: 'resolved' }, key: 'r' },
    { label: 'Resolve in next release', change: { status: 'resolved', resolve_in_next_release: true }, key: 'n' },
    { label: 'Ignore', change: { status: 'ignored' }, key: 'i' },
  ];
}

export function IssueActions({ issue, pending, onChange }: { issue: Pick<Issue, 'status' | 'resolve_in_next_release' | 'ignored_until_at' | 'ignored_until_count'>; pending: boolean; onChange: (change: IssueStatusChange) => void }) {
  return (
    <div className="row issue-actions">
      {statusActions(issue.status).map((a) => (
        <button key={a.label} type="button" className={a.change.status === 'resolved' && !a.change.resolve_in_next_release ? 'btn btn-primary' : 'btn'} disabled={pending} onClick={() => onChange(a.change)} title={`Shortcut: ${a.key}`}>
          {a.label}
        </button>
      ))}
      {issue.status === 'resolved' && issue.resolve_in_next_release && <span className="muted small">Resolved in the next release: events of the current one do not reopen it.</span>}
      {issue.status === 'ignored' && (issue.ignored_until_at || issue.ignored_until_count) && (
        <span className="muted small">
          Ignored until {issue.ignored_until_at ? new Date(issue.ignored_until_at).toLocaleString() : `${issue.ignored_until_count!.toLocaleString()} events`}
        </span>
      )}
    </div>
  );
}

/** The issue page's shortcuts: the same letters as on the list (r resolve, n next release, i ignore, u unresolve). */
export function useIssueShortcuts(status: Issue['status'] | undefined, enabled: boolean, onChange: (change: IssueStatusChange) => void) {
  useEffect(() => {
    if (!enabled || !status) return;
    const onKey = (e: KeyboardEvent) => {
      const action = statusActions(status).find((a) => a.key === shortcutKey(e));
      if (!action) return;
      e.preventDefault();
      onChange(action.change);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [status, enabled, onChange]);
}
