import { useEffect } from 'react';
import { useIssueEvents } from '../../lib/issues.js';
import { shortcutKey } from './use-list-keys.js';

/**
 * Older/newer through an issue's events (newest first), with ← newer and → older. Uses the event's
 * own neighbour ids when the API gives them, else its position in the loaded events list.
 */
export function EventNav({ issueId, eventId, neighbours, onGo }: { issueId: string; eventId: string | null; neighbours: { newer: string | null; older: string | null } | null; onGo: (eventId: string) => void }) {
  const events = useIssueEvents(issueId);
  const ids = events.data?.pages.flatMap((p) => p.items.map((e) => e.event_id)) ?? [];
  const at = eventId ? ids.indexOf(eventId) : -1;
  const newer = neighbours ? neighbours.newer : at > 0 ? ids[at - 1]! : null;
  const olderLoaded = at >= 0 && at + 1 < ids.length ? ids[at + 1]! : null;
  const older = neighbours ? neighbours.older : olderLoaded;
  const needMore = !neighbours && at >= 0 && at + 1 >= ids.length && events.hasNextPage;

  useEffect(() => {
    if (needMore && !events.isFetchingNextPage) void events.fetchNextPage();
  }, [needMore, events]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const key = shortcutKey(e);
      if (key === 'ArrowLeft' && newer) onGo(newer);
      else if (key === 'ArrowRight' && older) onGo(older);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [newer, older, onGo]);

  const total = ids.length;
  return (
    <div className="row event-nav">
      <button className="btn btn-small" disabled={!newer} onClick={() => newer && onGo(newer)} title="Shortcut: ←">
        ← Newer
      </button>
      <button className="btn btn-small" disabled={!older} onClick={() => older && onGo(older)} title="Shortcut: →">
        Older →
      </button>
      {at >= 0 && (
        <span className="muted small" data-testid="event-position">
          event {at + 1} of {total}
          {events.hasNextPage ? '+' : ''}
        </span>
      )}
    </div>
  );
}
