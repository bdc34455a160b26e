/** A tiny inline SVG line (0–100 %): cheap enough for a thousand rows. */
export function Sparkline({ values, label, width = 80, height = 22 }: { values: number[]; label: string; width?: number; height?: number }) {
  if (values.length < 2) return <span className="sparkline-empty muted small">{values.length === 1 ? `${Math.round(values[0]!)}%` : '—'}</span>;
  const step = width / (values.length - 1);
  const points = values.map((v, i) => `${(i * step).toFixed(1)},${(height - (Math.min(100, Math.max(0, v)) / 100) * (height - 2) - 1).toFixed(1)}`).join(' ');
  const last = values[values.length - 1]!;
  return (
    <span className="sparkline" title={`${label}: ${Math.round(last)}%`}>
      <svg width={width} height={height} role="img" aria-label={`${label} ${Math.round(last)}%`}>
        <polyline points={points} fill="none" stroke="currentColor" strokeWidth="1.5" />
      </svg>
      <span className="small">{Math.round(last)}%</span>
    </span>
  );
}
