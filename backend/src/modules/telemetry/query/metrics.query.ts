import type { MetricAgg, MetricsAnswer } from '@syntra/shared';
import { ValidationError } from '../../../errors.js';
import type { BoundedQuery } from './bounded.js';
import { type CounterPoint, type HistogramIncrease, type HistogramPoint, histogramIncreases, increases, mergeHistograms, quantileFromBuckets } from './metric-math.js';
import { C, T } from './schema.js';
import { and, Params } from './sql.js';

type MetricType = 'gauge' | 'sum' | 'histogram';
type Series = MetricsAnswer['series'];

export interface MetricFilter {
  orgId: string;
  serviceId?: string | undefined;
  serverId?: string | undefined;
  name: string;
  fromMs: number;
  toMs: number;
  step: number;
  agg: MetricAgg;
  groupBy?: string | undefined;
}

const TABLE: Record<MetricType, string> = { gauge: T.gauge, sum: T.sum, histogram: T.histogram };
/** Raw points read for the counter and histogram arithmetic, at most. */
const MAX_RAW_POINTS = 200_000;
const MAX_SERIES = 50;
const QUANTILE: Partial<Record<MetricAgg, number>> = { p50: 0.5, p95: 0.95, p99: 0.99 };

/** One number over a whole window: what alert rules compare with a threshold. */
export type WindowAgg = 'avg' | 'max' | 'min' | 'sum' | 'p95' | 'last';

export interface AggregateFilter {
  orgId: string;
  serviceId?: string | undefined;
  /** Only these servers' points (host metrics of a rule's servers). */
  serverIds?: readonly string[] | undefined;
  name: string;
  fromMs: number;
  toMs: number;
  agg: WindowAgg;
  /** One value per server (`worst host` rules) instead of one over all points. */
  perServer?: boolean | undefined;
}

/** Metric series over the otel_metrics_* tables: gauges aggregated in SQL, counters and histograms from their raw points. */
export class MetricsQuery {
  constructor(private readonly q: BoundedQuery) {}

  private scope(f: { orgId: string; serviceId?: string | undefined; serverId?: string | undefined }, p: Params) {
    const w = [`${C.org} = ${p.add(f.orgId, C.idType)}`];
    if (f.serviceId) w.push(`${C.service} = ${p.add(f.serviceId, C.idType)}`);
    if (f.serverId) w.push(`${C.server} = ${p.add(f.serverId, C.idType)}`);
    return w;
  }

  private range(fromMs: number, toMs: number, p: Params) {
    return `TimeUnix >= fromUnixTimestamp64Milli(${p.add(fromMs, 'Int64')}) AND TimeUnix < fromUnixTimestamp64Milli(${p.add(toMs, 'Int64')})`;
  }

  private groupExpr(groupBy: string | undefined, p: Params) {
    if (!groupBy) return `''`;
    const k = p.add(groupBy, 'String');
    return `if(mapContains(Attributes, ${k}), Attributes[${k}], ResourceAttributes[${k}])`;
  }

  /** Metric names seen in the last week (what a picker offers). */
  async names(orgId: string, serviceId?: string, serverId?: string) {
    const p = new Params();
    const since = Date.now() - 7 * 86_400_000;
    const part = (type: MetricType) =>
      `SELECT MetricName AS name, '${type}' AS type, any(MetricUnit) AS unit, any(MetricDescription) AS description FROM ${TABLE[type]}
       WHERE ${and([...this.scope({ orgId, serviceId, serverId }, p), `TimeUnix >= fromUnixTimestamp64Milli(${p.add(since, 'Int64')})`])} GROUP BY MetricName`;
    const rows = await this.q.rows<{ name: string; type: MetricType; unit: string; description: string }>(
      `SELECT * FROM (${part('gauge')} UNION ALL ${part('sum')} UNION ALL ${part('histogram')}) ORDER BY name LIMIT 1000`,
      p,
    );
    return { items: rows };
  }

  /** Which table holds `name` for this scope and range (gauge, sum, histogram), with its unit. */
  private async typeOf(f: MetricFilter): Promise<{ type: MetricType; unit: string } | null> {
    const p = new Params();
    const part = (type: MetricType) =>
      `SELECT '${type}' AS type, any(MetricUnit) AS unit, count() AS n FROM ${TABLE[type]}
       WHERE ${and([...this.scope(f, p), `MetricName = ${p.add(f.name, 'String')}`, this.range(f.fromMs - this.lookback(f), f.toMs, p)])}`;
    const rows = await this.q.rows<{ type: MetricType; unit: string; n: string }>(`${part('gauge')} UNION ALL ${part('sum')} UNION ALL ${part('histogram')}`, p);
    const found = rows.find((r) => Number(r.n) > 0);
    return found ? { type: found.type, unit: found.unit } : null;
  }

  /** Counters and histograms need the point before the window to know the first increase. */
  private lookback(f: MetricFilter) {
    return Math.max(f.step * 1000, 5 * 60_000);
  }

  async series(f: MetricFilter): Promise<Omit<MetricsAnswer, 'markers'>> {
    const found = await this.typeOf(f);
    const base = { name: f.name, agg: f.agg, step: f.step };
    if (!found) return { ...base, type: 'none', unit: '', series: [] };
    const { type, unit } = found;
    let series: Series;
    if (type === 'histogram') series = await this.histogramSeries(f);
    else if (type === 'sum' && (f.agg === 'rate' || f.agg === 'sum')) series = await this.counterSeries(f);
    else if (f.agg === 'rate') throw new ValidationError(`${f.name} is a gauge: agg=rate needs a counter (sum) or histogram`, { field: 'agg' });
    else series = await this.valueSeries(f, TABLE[type]);
    return { ...base, type, unit, series };
  }

  /**
   * The aggregate of a metric over [from, to), overall or per server (`server` is '' overall);
   * empty without data. Gauges are aggregated in SQL over their points; counters and histograms
   * go through their series arithmetic with one bucket per window (the higher bucket decides when
   * the window straddles two: thresholds watch for highs).
   */
  async aggregate(f: AggregateFilter): Promise<Array<{ server: string; value: number }>> {
    const step = Math.max(1, Math.ceil((f.toMs - f.fromMs) / 1000));
    const seriesAgg: MetricAgg = f.agg === 'last' ? 'max' : f.agg;
    const base: MetricFilter = { orgId: f.orgId, serviceId: f.serviceId, serverId: f.serverIds?.length === 1 ? f.serverIds[0] : undefined, name: f.name, fromMs: f.fromMs, toMs: f.toMs, step, agg: seriesAgg };
    const found = await this.typeOf(base);
    if (!found) return [];
    if (found.type !== 'gauge') {
      const series = await this.series(base);
      const values = series.series.flatMap((s) => s.points.map((pt) => pt[1]));
      return values.length ? [{ server: '', value: Math.max(...values) }] : [];
    }
    const p = new Params();
    const agg = { avg: 'avg(Value)', max: 'max(Value)', min: 'min(Value)', sum: 'sum(Value)', p95: 'quantile(0.95)(Value)', last: 'argMax(Value, TimeUnix)' }[f.agg];
    const where = [...this.scope(f, p), `MetricName = ${p.add(f.name, 'String')}`, this.range(f.fromMs, f.toMs, p)];
    if (f.serverIds) where.push(`${C.server} IN ${p.add(f.serverIds, 'Array(UUID)')}`);
    const rows = await this.q.rows<{ server: string; v: number; n: string }>(
      `SELECT ${f.perServer ? `toString(${C.server})` : `''`} AS server, ${agg} AS v, count() AS n FROM ${T.gauge} WHERE ${and(where)} GROUP BY server LIMIT 10000`,
      p,
    );
    return rows.filter((r) => Number(r.n) > 0).map((r) => ({ server: r.server, value: Number(r.v) }));
  }

  /** Gauges (and sums read as values): one SQL aggregation per time bucket and group. */
  private async valueSeries(f: MetricFilter, table: string): Promise<Series> {
    const p = new Params();
    const stepMs = p.add(f.step * 1000, 'Int64');
    const q = QUANTILE[f.agg];
    const agg = q !== undefined ? `quantile(${q})(Value)` : { avg: 'avg(Value)', sum: 'sum(Value)', min: 'min(Value)', max: 'max(Value)', count: 'toFloat64(count())' }[f.agg as 'avg'];
    const rows = await this.q.rows<{ g: string; t: string; v: number }>(
      `SELECT ${this.groupExpr(f.groupBy, p)} AS g, toString(intDiv(toUnixTimestamp64Milli(TimeUnix), ${stepMs}) * ${stepMs}) AS t, ${agg} AS v
       FROM ${table} WHERE ${and([...this.scope(f, p), `MetricName = ${p.add(f.name, 'String')}`, this.range(f.fromMs, f.toMs, p)])}
       GROUP BY g, t ORDER BY g, t LIMIT 200000`,
      p,
    );
    const groups = new Map<string, Array<[number, number]>>();
    for (const r of rows) {
      const list = groups.get(r.g) ?? [];
      list.push([Number(r.t), Number(r.v)]);
      groups.set(r.g, list);
    }
    return [...groups].slice(0, MAX_SERIES).map(([group, points]) => ({ group, points }));
  }

  private seriesKey() {
    return `toString(cityHash64(ServiceName, ${C.service}, Attributes, ResourceAttributes))`;
  }

  /** Monotonic counters: increases per bucket (`sum`) or per second (`rate`), resets handled. */
  private async counterSeries(f: MetricFilter): Promise<Series> {
    const p = new Params();
    const rows = await this.q.rows<{ g: string; k: string; t: string; s: string; v: number; temporality: number; mono: boolean | number }>(
      `SELECT ${this.groupExpr(f.groupBy, p)} AS g, ${this.seriesKey()} AS k, toString(toUnixTimestamp64Milli(TimeUnix)) AS t, toString(toUnixTimestamp64Milli(StartTimeUnix)) AS s,
         Value AS v, AggregationTemporality AS temporality, IsMonotonic AS mono
       FROM ${T.sum} WHERE ${and([...this.scope(f, p), `MetricName = ${p.add(f.name, 'String')}`, this.range(f.fromMs - this.lookback(f), f.toMs, p)])}
       ORDER BY k, TimeUnix LIMIT ${p.add(MAX_RAW_POINTS, 'UInt32')}`,
      p,
    );
    const stepMs = f.step * 1000;
    const buckets = new Map<string, Map<number, number>>();
    for (const series of groupRuns(rows, (r) => r.k)) {
      const first = series[0]!;
      const points: CounterPoint[] = series.map((r) => ({ t: Number(r.t), start: Number(r.s), value: Number(r.v) }));
      const g = buckets.get(first.g) ?? new Map<number, number>();
      for (const { t, inc } of increases(points, Number(first.temporality), f.fromMs, Boolean(first.mono))) {
        if (t < f.fromMs || t >= f.toMs) continue;
        const b = Math.floor(t / stepMs) * stepMs;
        g.set(b, (g.get(b) ?? 0) + inc);
      }
      buckets.set(first.g, g);
    }
    const scale = f.agg === 'rate' ? 1 / f.step : 1;
    return toSeries(buckets, (v) => v * scale);
  }

  /** Histograms: bucket counts merged per time bucket, then quantiles, counts, sums or rates of them. */
  private async histogramSeries(f: MetricFilter): Promise<Series> {
    const p = new Params();
    const rows = await this.q.rows<{ g: string; k: string; t: string; s: string; count: string; sum: number; counts: string[]; bounds: number[]; min: number; max: number; temporality: number }>(
      `SELECT ${this.groupExpr(f.groupBy, p)} AS g, ${this.seriesKey()} AS k, toString(toUnixTimestamp64Milli(TimeUnix)) AS t, toString(toUnixTimestamp64Milli(StartTimeUnix)) AS s,
         toString(Count) AS count, Sum AS sum, arrayMap(x -> toString(x), BucketCounts) AS counts, ExplicitBounds AS bounds, Min AS min, Max AS max,
         AggregationTemporality AS temporality
       FROM ${T.histogram} WHERE ${and([...this.scope(f, p), `MetricName = ${p.add(f.name, 'String')}`, this.range(f.fromMs - this.lookback(f), f.toMs, p)])}
       ORDER BY k, TimeUnix LIMIT ${p.add(MAX_RAW_POINTS, 'UInt32')}`,
      p,
    );
    const stepMs = f.step * 1000;
    const perBucket = new Map<string, Map<number, HistogramIncrease[]>>();
    for (const series of groupRuns(rows, (r) => r.k)) {
      const first = series[0]!;
      const points: HistogramPoint[] = series.map((r) => {
        const known = !(Number(r.min) === 0 && Number(r.max) === 0);
        return { t: Number(r.t), start: Number(r.s), count: Number(r.count), sum: Number(r.sum), bounds: r.bounds.map(Number), counts: r.counts.map(Number), min: known ? Number(r.min) : null, max: known ? Number(r.max) : null };
      });
      const g = perBucket.get(first.g) ?? new Map<number, HistogramIncrease[]>();
      for (const inc of histogramIncreases(points, Number(first.temporality), f.fromMs)) {
        if (inc.t < f.fromMs || inc.t >= f.toMs) continue;
        const b = Math.floor(inc.t / stepMs) * stepMs;
        g.set(b, [...(g.get(b) ?? []), inc]);
      }
      perBucket.set(first.g, g);
    }
    const q = QUANTILE[f.agg];
    const buckets = new Map<string, Map<number, number>>();
    for (const [group, byTime] of perBucket) {
      const out = new Map<number, number>();
      for (const [t, items] of byTime) {
        const h = mergeHistograms(items);
        if (!h || h.count <= 0) continue;
        const value =
          q !== undefined ? quantileFromBuckets(h.bounds, h.counts, q, h.min, h.max)
          : f.agg === 'count' ? h.count
          : f.agg === 'sum' ? h.sum
          : f.agg === 'rate' ? h.count / f.step
          : f.agg === 'min' ? h.min
          : f.agg === 'max' ? h.max
          : h.sum / h.count;
        if (value !== null) out.set(t, value);
      }
      buckets.set(group, out);
    }
    return toSeries(buckets, (v) => v);
  }
}

/** Consecutive rows with the same key (rows come ordered by it). */
function groupRuns<R>(rows: readonly R[], key: (r: R) => string): R[][] {
  const out: R[][] = [];
  let current: R[] = [];
  let k: string | null = null;
  for (const r of rows) {
    const rk = key(r);
    if (rk !== k && current.length) {
      out.push(current);
      current = [];
    }
    k = rk;
    current.push(r);
  }
  if (current.length) out.push(current);
  return out;
}

function toSeries(buckets: Map<string, Map<number, number>>, map: (v: number) => number): Series {
  return [...buckets]
    .sort(([a], [b]) => a.localeCompare(b))
    .slice(0, MAX_SERIES)
    .map(([group, byTime]) => ({ group, points: [...byTime].sort(([a], [b]) => a - b).map(([t, v]) => [t, map(v)] as [number, number]) }));
}
