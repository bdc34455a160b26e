// Pure arithmetic of metric points: counter increases across resets and histogram quantiles.
// Kept apart from the SQL so each rule is tested on its own (metric-math.test.ts).

/** OTLP AggregationTemporality: 1 delta (each point is the increase), 2 cumulative (since StartTimeUnix). */
export const DELTA = 1;

export interface CounterPoint {
  t: number;
  start: number;
  value: number;
}

/**
 * The increase each point of one series adds. Cumulative points: the difference to the previous
 * one; a point whose start moved or whose value fell is a reset, and counts whole (it counted from
 * zero since its new start). The series' first point is only a baseline unless the series began at
 * or after `sinceMs` (then all of its value happened inside the window). Delta points are increases.
 */
export function increases(points: readonly CounterPoint[], temporality: number, sinceMs: number, monotonic = true): Array<{ t: number; inc: number }> {
  if (temporality === DELTA) return points.map((p) => ({ t: p.t, inc: p.value }));
  const out: Array<{ t: number; inc: number }> = [];
  let prev: CounterPoint | null = null;
  for (const p of points) {
    if (!prev) {
      if (p.start >= sinceMs && p.start > 0) out.push({ t: p.t, inc: p.value });
    } else if (monotonic && (p.start !== prev.start || p.value < prev.value)) {
      out.push({ t: p.t, inc: p.value });
    } else {
      out.push({ t: p.t, inc: p.value - prev.value });
    }
    prev = p;
  }
  return out;
}

export interface HistogramPoint {
  t: number;
  start: number;
  count: number;
  sum: number;
  bounds: number[];
  counts: number[];
  min: number | null;
  max: number | null;
}

export interface HistogramIncrease {
  t: number;
  count: number;
  sum: number;
  bounds: number[];
  counts: number[];
  min: number | null;
  max: number | null;
}

/** The same rule as `increases`, bucket by bucket (a changed bucket layout is a reset too). */
export function histogramIncreases(points: readonly HistogramPoint[], temporality: number, sinceMs: number): HistogramIncrease[] {
  if (temporality === DELTA) return points.map((p) => ({ ...p }));
  const out: HistogramIncrease[] = [];
  let prev: HistogramPoint | null = null;
  for (const p of points) {
    const whole = { t: p.t, count: p.count, sum: p.sum, bounds: p.bounds, counts: p.counts, min: p.min, max: p.max };
    if (!prev) {
      if (p.start >= sinceMs && p.start > 0) out.push(whole);
    } else {
      const sameLayout = prev.bounds.length === p.bounds.length && prev.bounds.every((b, i) => b === p.bounds[i]);
      const reset = p.start !== prev.start || p.count < prev.count || !sameLayout || p.counts.some((c, i) => c < (prev!.counts[i] ?? 0));
      // min/max of a cumulative point cover its whole life: still bounds of the window's values,
      // so they serve as the open buckets' edges.
      if (reset) out.push(whole);
      else out.push({ t: p.t, count: p.count - prev.count, sum: p.sum - prev.sum, bounds: p.bounds, counts: p.counts.map((c, i) => c - (prev!.counts[i] ?? 0)), min: p.min, max: p.max });
    }
    prev = p;
  }
  return out;
}

/**
 * The q-quantile (0..1) of a bucketed distribution: explicit bounds b0 < … < bn-1 and n+1 counts
 * (the last bucket is (bn-1, +inf)). Linear within the bucket the rank falls in, as Prometheus'
 * histogram_quantile does; the open ends use the recorded min/max when known.
 */
export function quantileFromBuckets(bounds: readonly number[], counts: readonly number[], q: number, min: number | null = null, max: number | null = null): number | null {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total <= 0) return null;
  const rank = q * total;
  let seen = 0;
  for (let i = 0; i < counts.length; i += 1) {
    const c = counts[i]!;
    if (c > 0 && seen + c >= rank) {
      let lower = i === 0 ? (min ?? Math.min(0, bounds[0] ?? 0)) : bounds[i - 1]!;
      let upper = i >= bounds.length ? (max ?? bounds[bounds.length - 1] ?? lower) : bounds[i]!;
      if (min !== null && min > lower && min <= upper) lower = min;
      if (max !== null && max < upper && max >= lower) upper = max;
      return lower + (upper - lower) * ((rank - seen) / c);
    }
    seen += c;
  }
  return max ?? bounds[bounds.length - 1] ?? null;
}

/** Merges increases of one time bucket (same bucket layout) into one distribution. */
export function mergeHistograms(items: readonly HistogramIncrease[]): HistogramIncrease | null {
  const first = items[0];
  if (!first) return null;
  const counts = new Array<number>(first.counts.length).fill(0);
  let count = 0;
  let sum = 0;
  let min: number | null = null;
  let max: number | null = null;
  for (const h of items) {
    if (h.counts.length !== counts.length) continue;
    h.counts.forEach((c, i) => (counts[i]! += c));
    count += h.count;
    sum += h.sum;
    if (h.min !== null) min = min === null ? h.min : Math.min(min, h.min);
    if (h.max !== null) max = max === null ? h.max : Math.max(max, h.max);
  }
  return { t: first.t, count, sum, bounds: first.bounds, counts, min, max };
}
