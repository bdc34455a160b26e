import type { StreamEvent, StreamEventData } from '@syntra/shared';
import type { LiveSnapshot } from '../../shared/ipc.js';
import { onStreamEvent } from './stream.js';

type IssueOccurrence = NonNullable<LiveSnapshot['issues']>[number];

const MAX = 50;
const recent: IssueOccurrence[] = [];
let seq = 0;

/**
 * Desktop only: remembers the issues that appeared or regressed while the console runs, for the
 * live snapshot main turns into notifications. Only what arrived over the stream, never the list's
 * contents, so opening the app or a reconnect's refetch never replays old issues as alerts.
 */
export function followIssueAlerts(changed: () => void): () => void {
  return onStreamEvent((event: StreamEvent) => {
    const { type } = event;
    if (type !== 'issue.created' && type !== 'issue.regressed') return;
    const data = event.data as StreamEventData<'issue.created'>;
    recent.push({
      key: `${data.issue_id}:${++seq}:${event.at}`,
      kind: type === 'issue.created' ? 'created' : 'regressed',
      title: data.title.slice(0, 300),
      environment: data.environment ? data.environment.slice(0, 100) : null,
      path: `/issues/${data.issue_id}`,
    });
    recent.splice(0, Math.max(0, recent.length - MAX));
    changed();
  });
}

export function recentIssueAlerts(): IssueOccurrence[] {
  return [...recent];
}
