import type { DeployMarker } from '@syntra/shared';
import { useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface ChartSeries {
  label: string;
  /** `[unix ms, value]`, any order of times across series. */
  points: Array<[number, number]>;
}

/** Something that happened, drawn as a flag on the time axis; clicking it opens `to`. */
export interface ChartEvent {
  key: string;
  at: string;
  label: string;
  tone: 'critical' | 'warning' | 'info' | 'ok';
  to: string | null;
  /** The incident the page is about (a notification's event): drawn stronger. */
  focused?: boolean;
}

interface Flag {
  key: string;
  left: number;
  top: number;
  height: number;
  className: string;
  title: string;
  testId: string;
  to: string | null;
}

const COLORS = ['#4c8dff', '#e5534b', '#57ab5a', '#c69026', '#986ee2', '#39c5cf', '#f69d50', '#8ddb8c'];

/** Series on a shared time axis: the union of their times, gaps as nulls. */
function align(series: readonly ChartSeries[]): uPlot.AlignedData {
  const times = [...new Set(series.flatMap((s) => s.points.map(([t]) => t)))].sort((a, b) => a - b);
  const index = new Map(times.map((t, i) => [t, i]));
  const columns = series.map((s) => {
    const col: (number | null)[] = new Array(times.length).fill(null);
    for (const [t, v] of s.points) col[index.get(t)!] = v;
    return col;
  });
  return [times.map((t) => t / 1000), ...columns] as uPlot.AlignedData;
}

const deployFlag = (m: DeployMarker): Omit<Flag, 'left' | 'top' | 'height'> & { at: string } => ({
  key: m.deployment_id,
  at: m.at,
  className: `deploy-marker deploy-${m.status}`,
  title: `Deployment ${m.git_commit_sha?.slice(0, 7) ?? m.deployment_id.slice(0, 8)} (${m.status}) at ${new Date(m.at).toLocaleString()}`,
  testId: 'deploy-marker',
  to: `/deployments/${m.deployment_id}`,
});

const eventFlag = (e: ChartEvent): Omit<Flag, 'left' | 'top' | 'height'> & { at: string } => ({
  key: e.key,
  at: e.at,
  className: `deploy-marker event-marker tone-${e.tone}${e.focused ? ' focused' : ''}`,
  title: `${e.label} at ${new Date(e.at).toLocaleString()}`,
  testId: 'timeline-marker',
  to: e.to,
});

/**
 * A time-series chart (uPlot): deploy markers (and any other `events`, the incident timeline's) as
 * vertical lines with a clickable flag (→ the deployment, issue, alert), drag across it to zoom
 * into that window (`onZoom`, which moves the page's range).
 */
export function MetricChart({ title, series, unit, markers, events = [], range, onZoom, height = 200 }: { title: string; series: ChartSeries[]; unit: string; markers: DeployMarker[]; events?: ChartEvent[]; range: { from: number; to: number }; onZoom: (from: number, to: number) => void; height?: number }) {
  const wrap = useRef<HTMLDivElement>(null);
  const el = useRef<HTMLDivElement>(null);
  const navigate = useNavigate();
  const [flags, setFlags] = useState<Flag[]>([]);
  const zoom = useRef(onZoom);
  zoom.current = onZoom;

  useEffect(() => {
    if (!el.current || !wrap.current) return;
    const width = el.current.clientWidth || 600;
    const styles = getComputedStyle(document.documentElement);
    const axis = { stroke: styles.getPropertyValue('--muted').trim() || '#888', grid: { stroke: styles.getPropertyValue('--border').trim() || '#eee', width: 1 } };
    const placeFlags = (u: uPlot) => {
      const over = u.over.getBoundingClientRect();
      const base = wrap.current!.getBoundingClientRect();
      setFlags(
        [...markers.map(deployFlag), ...events.map(eventFlag)]
          .map((f) => ({ f, x: u.valToPos(Date.parse(f.at) / 1000, 'x') }))
          .filter(({ x }) => x >= 0 && x <= over.width)
          .map(({ f, x }) => ({ ...f, left: over.left - base.left + x, top: over.top - base.top, height: over.height })),
      );
    };
    const plot = new uPlot(
      {
        width,
        height,
        scales: { x: { time: true, range: () => [range.from / 1000, range.to / 1000] } },
        series: [{}, ...series.map((s, i) => ({ label: s.label, stroke: COLORS[i % COLORS.length], width: 1.5, spanGaps: false, value: (_u: uPlot, v: number | null) => (v == null ? '—' : `${+v.toFixed(3)} ${unit}`) }))],
        axes: [axis, { ...axis, size: 60 }],
        legend: { show: true },
        cursor: { drag: { x: true, y: false, setScale: false } },
        hooks: {
          setSelect: [
            (u) => {
              if (u.select.width > 4) {
                const from = u.posToVal(u.select.left, 'x') * 1000;
                const to = u.posToVal(u.select.left + u.select.width, 'x') * 1000;
                zoom.current(from, to);
              }
              u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
            },
          ],
          ready: [placeFlags],
          setSize: [placeFlags],
        },
      },
      align(series),
      el.current,
    );
    const ro = new ResizeObserver(() => plot.setSize({ width: el.current?.clientWidth || width, height }));
    ro.observe(el.current);
    return () => {
      ro.disconnect();
      plot.destroy();
    };
  }, [series, height, range.from, range.to, unit, markers, events]);

  return (
    <figure className="metric-chart" data-testid="metric-chart" aria-label={title}>
      <figcaption>
        <strong>{title}</strong>
        {unit && <span className="muted small"> ({unit})</span>}
      </figcaption>
      <div ref={wrap} className="metric-chart-area">
        <div ref={el} className="chart" />
        {flags.map((f) => (
          <button
            key={f.key}
            type="button"
            className={f.className}
            style={{ left: f.left, top: f.top, height: f.height }}
            data-testid={f.testId}
            title={f.title}
            aria-label={f.title}
            disabled={!f.to}
            onClick={() => f.to && navigate(f.to)}
          />
        ))}
      </div>
    </figure>
  );
}
