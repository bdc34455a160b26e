/**
 * Event counts per bucket as bars (the 24 hourly or 14 daily counts of an issue): an SVG drawn
 * from the numbers, cheap for a page of rows. Scaled to the row's own peak — the total is beside it.
 */
export function CountSparkline({ counts, label, width = 96, height = 24 }: { counts: readonly number[]; label: string; width?: number; height?: number }) {
  const total = counts.reduce((a, b) => a + b, 0);
  const peak = Math.max(1, ...counts);
  const bar = counts.length ? width / counts.length : width;
  return (
    <svg className="count-spark" width={width} height={height} role="img" aria-label={`${label}: ${total} events`}>
      <title>{`${label}: ${total} events`}</title>
      {counts.map((c, i) => {
        const h = c === 0 ? 1 : Math.max(2, (c / peak) * (height - 1));
        return <rect key={i} x={i * bar + 0.5} y={height - h} width={Math.max(1, bar - 1)} height={h} className={c === 0 ? 'spark-zero' : 'spark-bar'} />;
      })}
    </svg>
  );
}
