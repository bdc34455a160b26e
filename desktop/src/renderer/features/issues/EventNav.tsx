import { useEffect } from 'react';
import { useIssueEvents } from '../../lib/issues.js';
import { shortcutKey } from './use-list-keys.js';

/**
 * Older/newer through an issue's events, with ← newer and → older (the event names its neighbours);
 * its position is read from the events list (newest first) when it is among the loaded pages.
 */
export function EventNav({ issueId, eventId, newer, older, onGo }: { issueId: string; eventId: string | null; newer: string | null; older: string | null; onGo: (eventId: string) => void }) {
  const events = useIssueEvents(issueId);
  const ids = events.data?.pages.flatMap((p) => p.items.map((e) => e.event_id)) ?? [];
  const at = eventId ? ids.indexOf(eventId) : -1;
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
