import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface Series {
  label: string;
  values: (number | null)[];
  color: string;
  unit: string;
}

/** A uPlot time-series chart (lazy-loaded with the server detail page). */
/** `range` (unix seconds) pins the time axis to the selected window, however few points there are. */
export default function TimeSeriesChart({ times, series, height = 180, range }: { times: number[]; series: Series[]; height?: number; range?: [number, number] }) {
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!el.current) return;
    const width = el.current.clientWidth || 600;
    const styles = getComputedStyle(document.documentElement);
    const axis = { stroke: styles.getPropertyValue('--muted').trim() || '#888', grid: { stroke: styles.getPropertyValue('--border').trim() || '#eee', width: 1 } };
    const plot = new uPlot(
      {
        width,
        height,
        scales: range ? { x: { time: true, range: () => range } } : undefined,
        series: [{}, ...series.map((s) => ({ label: s.label, stroke: s.color, width: 1.5, value: (_u: uPlot, v: number | null) => (v == null ? '—' : `${v.toFixed(1)} ${s.unit}`) }))],
        axes: [axis, axis],
        legend: { show: true },
        cursor: { drag: { x: false, y: false } },
      },
      [times, ...series.map((s) => s.values)] as uPlot.AlignedData,
      el.current,
    );
    const ro = new ResizeObserver(() => plot.setSize({ width: el.current?.clientWidth || width, height }));
    ro.observe(el.current);
    return () => {
      ro.disconnect();
      plot.destroy();
    };
  }, [times, series, height, range]);
  return <div ref={el} className="chart" />;
}
