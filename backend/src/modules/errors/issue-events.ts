import type { StreamEvent } from '@syntra/shared';
import type { StreamPublisher } from '../stream/index.js';
import type { ErrorGroupRow } from './errors.tables.js';

/** The console's `issue.updated` for an issue's row as it is now. */
export function issueUpdated(stream: Pick<StreamPublisher, 'event'>, r: ErrorGroupRow): StreamEvent {
  return stream.event('issue.updated', r.org_id, {
    issue_id: r.id,
    service_id: r.service_id,
    project_id: r.project_id,
    status: r.status,
    event_count: r.event_count,
    user_count: r.user_count,
    last_seen_at: r.last_seen_at.toISOString(),
    assigned_to: r.assigned_to,
  });
}
