import { useState } from 'react';

export interface BreadcrumbLike {
  timestamp?: string | number | null;
  type?: string | null;
  category?: string | null;
  message?: string | null;
  level?: string | null;
  data?: Record<string, unknown> | null;
}

const SHOWN = 15;

/** Sentry sends seconds since the epoch (a float); normalised events may carry ISO strings. */
export function breadcrumbTime(ts: BreadcrumbLike['timestamp']): Date | null {
  if (ts == null || ts === '') return null;
  const d = typeof ts === 'number' ? new Date(ts * 1000) : new Date(ts);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** "-2.4 s" before the event: what matters in a breadcrumb trail is how long before the error it happened. */
function before(at: Date | null, eventAt: Date | null): string {
  if (!at || !eventAt) return '';
  const s = (eventAt.getTime() - at.getTime()) / 1000;
  if (s < 0.05) return '0 s';
  if (s < 60) return `−${s.toFixed(1)} s`;
  if (s < 3600) return `−${Math.round(s / 60)} min`;
  return `−${Math.round(s / 3600)} h`;
}

function summary(b: BreadcrumbLike): string {
  if (b.message) return b.message;
  const d = b.data ?? {};
  // http breadcrumbs carry method/url/status_code in data and no message.
  if (typeof d.url === 'string') return [d.method, d.url, d.status_code].filter((x) => x != null && x !== '').join(' ');
  const json = JSON.stringify(d);
  return json === '{}' ? '' : json;
}

const TONE: Record<string, string> = { error: 'bad', fatal: 'bad', warning: 'warn', info: 'info', debug: 'muted' };

/** What led up to the event, oldest first like a log, the last {SHOWN} shown until asked for all. */
export function Breadcrumbs({ breadcrumbs, eventAt }: { breadcrumbs: readonly BreadcrumbLike[]; eventAt: string | null }) {
  const [all, setAll] = useState(false);
  if (breadcrumbs.length === 0) return <p className="muted">No breadcrumbs: the SDK recorded nothing before this event.</p>;
  const event = eventAt ? new Date(eventAt) : null;
  const hidden = all ? 0 : Math.max(0, breadcrumbs.length - SHOWN);
  return (
    <div className="breadcrumbs">
      {hidden > 0 && (
        <button type="button" className="btn btn-ghost btn-small" onClick={() => setAll(true)}>
          Show {hidden} earlier
        </button>
      )}
      <ol className="crumbs" aria-label="Breadcrumbs">
        {breadcrumbs.slice(hidden).map((b, i) => {
          const at = breadcrumbTime(b.timestamp);
          return (
            <li key={i} className={`crumb crumb-${TONE[b.level ?? ''] ?? 'muted'}`} data-testid="breadcrumb">
              <span className="crumb-dot" aria-hidden />
              <span className="crumb-cat">{b.category ?? b.type ?? 'default'}</span>
              <span className="crumb-msg">{summary(b)}</span>
              <span className="crumb-time muted small" title={at?.toISOString()}>
                {before(at, event)}
              </span>
            </li>
          );
        })}
      </ol>
    </div>
  );
}
