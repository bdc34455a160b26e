import type { Timeline } from '@syntra/shared';
import { useCallback, useEffect, useMemo, useRef } from 'react';
import { Link } from 'react-router';
import { Badge, EmptyState, ErrorState, Skeleton } from '../../components/ui.js';
import { type ChartEvent, MetricChart } from '../../features/telemetry/MetricChart.js';
import { useTimeline } from '../../lib/alerts.js';
import { onStreamEvent } from '../../lib/stream.js';

type Entry = Timeline['entries'][number];

const TONE = { critical: 'bad', warning: 'warn', info: 'info', ok: 'ok' } as const;
const KIND_LABEL: Record<Entry['kind'], string> = { deploy: 'deploy', alert: 'alert', health_failed: 'health', server_status: 'server', issue: 'issue' };

/** Where an entry's reference opens: the deployment, the issue, the alert event. */
export function linkOf(ref: Entry['ref']): string | null {
  if (!ref) return null;
  if (ref.type === 'deployment') return `/deployments/${ref.id}`;
  if (ref.type === 'alert_event') return `/alerts/events/${ref.id}`;
  if (ref.type === 'issue') return `/issues/${ref.id}`;
  return null;
}

/** Stream events that add an entry (a metrics sample or a passing check does not: the series catch up on the next one). */
const NEWS = new Set(['deployment.status', 'server.status', 'service.health', 'issue.created', 'issue.regressed', 'issue.updated', 'alert.event']);

const keyOf = (e: Entry, i: number) => (e.ref ? `${e.ref.type}:${e.ref.id}:${e.at}` : `${e.kind}:${e.at}:${i}`);

/**
 * One time axis of a service or server: its series (error events per minute and p95 latency, or
 * CPU and memory) drawn with the explorer's chart, every entry a marker on it (click: open it), and
 * the entries listed newest first. `focusEventId` is the incident a notification points at: its
 * marker and row stand out. Live: what the stream reports about this service or server refetches
 * (or calls `onNews`, which moves a "last N hours" range to now).
 */
export function TimelineView({ kind, id, range, onZoom, focusEventId, onNews, compact = false }: { kind: 'service' | 'server'; id: string; range: { from: number; to: number }; onZoom: (from: number, to: number) => void; focusEventId?: string | null; onNews?: (() => void) | undefined; compact?: boolean }) {
  const timeline = useTimeline(kind, id, { from: new Date(range.from).toISOString(), to: new Date(range.to).toISOString() });
  const { refetch } = timeline;
  // The incident's row is scrolled to once, when it first appears (not again on each live refetch).
  const scrolled = useRef(false);
  const showFocus = useCallback((li: HTMLLIElement | null) => {
    if (!li || scrolled.current) return;
    scrolled.current = true;
    li.scrollIntoView({ block: 'nearest' });
  }, []);

  useEffect(
    () =>
      onStreamEvent((event) => {
        if (!NEWS.has(event.type)) return;
        const d = event.data as { service_id?: string; server_id?: string; healthy?: boolean };
        if (event.type === 'service.health' && d.healthy !== false) return;
        if ((kind === 'service' && d.service_id === id) || (kind === 'server' && d.server_id === id)) {
          if (onNews) onNews();
          else void refetch();
        }
      }),
    [kind, id, refetch, onNews],
  );

  const entries = timeline.data?.entries;
  const events: ChartEvent[] = useMemo(
    () =>
      (entries ?? []).map((e, i) => ({
        key: keyOf(e, i),
        at: e.at,
        label: `${KIND_LABEL[e.kind]}: ${e.title}`,
        tone: e.severity,
        to: linkOf(e.ref),
        focused: e.ref?.type === 'alert_event' && e.ref.id === focusEventId,
      })),
    [entries, focusEventId],
  );
  const series = useMemo(() => (timeline.data?.series ?? []).map((s) => ({ ...s, chart: [{ label: s.label, points: s.points }] })), [timeline.data?.series]);

  if (timeline.isPending) return <Skeleton rows={5} />;
  if (timeline.isError) return <ErrorState error={timeline.error} retry={() => void timeline.refetch()} />;
  const data = timeline.data;
  return (
    <div className="incident-timeline" data-testid="incident-timeline">
      {series.map((s) => (
        <MetricChart key={s.key} title={s.label} unit={s.unit} series={s.chart} markers={[]} events={events} range={range} onZoom={onZoom} height={compact ? 140 : 180} />
      ))}
      {series.length > 0 && series.every((s) => s.points.length === 0) && (
        <p className="muted small">{kind === 'service' ? 'No error events or spans in this window.' : 'No host metrics from this server’s agent in this window.'}</p>
      )}
      {data.entries.length === 0 && <EmptyState title="A quiet window">Nothing happened here in this time range.</EmptyState>}
      {data.entries.length > 0 && (
        <ol className="incident-entries" data-testid="timeline">
          {data.entries.slice(0, compact ? 15 : undefined).map((e, i) => {
            const to = linkOf(e.ref);
            const focused = e.ref?.type === 'alert_event' && e.ref.id === focusEventId;
            return (
              <li key={keyOf(e, i)} className={`row${focused ? ' focused' : ''}`} data-testid={focused ? 'timeline-focus' : undefined} ref={focused ? showFocus : undefined}>
                <span className="muted small" title={e.at}>
                  {new Date(e.at).toLocaleString()}
                </span>
                <Badge tone={TONE[e.severity]}>{KIND_LABEL[e.kind]}</Badge>
                {to ? <Link to={to}>{e.title}</Link> : <span>{e.title}</span>}
                {typeof e.detail.summary === 'string' && <span className="muted small">{e.detail.summary}</span>}
              </li>
            );
          })}
        </ol>
      )}
    </div>
  );
}
