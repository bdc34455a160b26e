import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { useAlertFeed } from '../lib/alerts.js';
import { useCan } from '../lib/can.js';

const SEVERITY_CLASS = { critical: 'bad', warning: 'warn', info: 'info' } as const;

/** The top bar's bell: alert events heard live since it was last opened; opening it marks them read. */
export function AlertBell() {
  const canRead = useCan('alerts.read');
  const unread = useAlertFeed((s) => s.unread);
  const markAllRead = useAlertFeed((s) => s.markAllRead);
  const [open, setOpen] = useState(false);
  const [seen, setSeen] = useState<typeof unread>([]);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent | KeyboardEvent) => {
      if (e instanceof KeyboardEvent ? e.key === 'Escape' : !ref.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', close);
    document.addEventListener('keydown', close);
    return () => {
      document.removeEventListener('mousedown', close);
      document.removeEventListener('keydown', close);
    };
  }, [open]);
  if (!canRead) return null;
  const toggle = () => {
    if (!open) {
      setSeen(unread);
      markAllRead();
    }
    setOpen(!open);
  };
  return (
    <div className="bell" ref={ref}>
      <button className="btn btn-ghost" aria-label={`Alerts${unread.length ? `: ${unread.length} unread` : ''}`} aria-expanded={open} data-testid="alert-bell" onClick={toggle}>
        <svg width="16" height="16" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" aria-hidden>
          <path d="M18 8a6 6 0 0 0-12 0c0 7-3 9-3 9h18s-3-2-3-9" />
          <path d="M13.7 21a2 2 0 0 1-3.4 0" />
        </svg>
        {unread.length > 0 && <span className="bell-count" data-testid="alert-bell-count">{unread.length}</span>}
      </button>
      {open && (
        <div className="bell-menu card" role="menu">
          {seen.length === 0 && <p className="muted small">No new alerts.</p>}
          {seen.map((a) => (
            <Link key={a.event_id} role="menuitem" className={`bell-item ${SEVERITY_CLASS[a.severity]}`} to={`/alerts/events/${a.event_id}`} onClick={() => setOpen(false)}>
              <strong>{a.rule_name}</strong> <span className="muted small">{a.status}</span>
              <div className="small">{a.summary}</div>
            </Link>
          ))}
          <Link className="small" to="/alerts" onClick={() => setOpen(false)}>
            All alerts
          </Link>
        </div>
      )}
    </div>
  );
}

/** Toasts for alerts that start firing while the console is open. */
export function AlertToasts() {
  const toasts = useAlertFeed((s) => s.toasts);
  const dismiss = useAlertFeed((s) => s.dismiss);
  if (toasts.length === 0) return null;
  return (
    <div className="toasts" role="status" aria-live="polite">
      {toasts.map((t) => (
        <div key={t.event_id} className={`toast ${SEVERITY_CLASS[t.severity]}`} data-testid="alert-toast">
          <Link to={`/alerts/events/${t.event_id}`} onClick={() => dismiss(t.event_id)}>
            <strong>{t.rule_name}</strong>
          </Link>
          <div className="small">{t.summary}</div>
          <button className="btn btn-ghost btn-small" aria-label="Dismiss" onClick={() => dismiss(t.event_id)}>
            ✕
          </button>
        </div>
      ))}
    </div>
  );
}
