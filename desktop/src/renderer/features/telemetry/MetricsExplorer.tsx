import { METRIC_AGGS, type MetricAgg } from '@syntra/shared';
import { useMemo } from 'react';
import { EmptyState, ErrorState, Skeleton } from '../../components/ui.js';
import { useOrgId } from '../../lib/queries.js';
import { useServers } from '../../lib/servers.js';
import { type ChartSeries, MetricChart } from './MetricChart.js';
import { useMetric, useMetricNames, useSpanMetrics } from './queries.js';
import { TimeRangePicker } from './TimeRangePicker.js';
import { type TimeRange, useTimeRange } from './time-range.js';

/** A metric by name as a chart (its unit, its groups as series). */
function NamedMetric({ range, name, agg, serviceId, groupBy, labels, title, onZoom }: { range: TimeRange; name: string; agg: MetricAgg; serviceId?: string | undefined; groupBy?: string | undefined; labels?: ReadonlyMap<string, string>; title?: string; onZoom: (f: number, t: number) => void }) {
  const metric = useMetric(range, { name, agg, service_id: serviceId, group_by: groupBy });
  if (metric.isPending) return <Skeleton rows={4} />;
  if (metric.isError) return <ErrorState error={metric.error} retry={() => void metric.refetch()} />;
  const series: ChartSeries[] = metric.data.series.map((s) => ({ label: (s.group && (labels?.get(s.group) ?? s.group)) || `${agg}(${name})`, points: s.points }));
  if (metric.data.type === 'none') return <EmptyState title={`No ${name} in this range`} />;
  return <MetricChart title={title ?? `${name} · ${agg}`} series={series} unit={metric.data.unit} markers={metric.data.markers} range={range} onZoom={onZoom} />;
}

/** Request rate, error rate and latency percentiles derived from the service's spans. */
function SpanCharts({ range, serviceId, onZoom }: { range: TimeRange; serviceId?: string | undefined; onZoom: (f: number, t: number) => void }) {
  const red = useSpanMetrics(range, serviceId);
  if (red.isPending) return <Skeleton rows={4} />;
  if (red.isError) return <ErrorState error={red.error} retry={() => void red.refetch()} />;
  const col = (i: number) => red.data.points.map((p) => [p[0], p[i]!] as [number, number]);
  return (
    <div className="charts">
      <MetricChart title="Requests" series={[{ label: 'requests/s', points: col(1) }, { label: 'errors/s', points: col(2) }]} unit="/s" markers={red.data.markers} range={range} onZoom={onZoom} />
      <MetricChart title="Latency" series={[{ label: 'p50', points: col(3) }, { label: 'p95', points: col(4) }, { label: 'p99', points: col(5) }]} unit="ms" markers={red.data.markers} range={range} onZoom={onZoom} />
    </div>
  );
}

/**
 * Metrics: request/error rate and latency from spans, CPU and memory when the agents or the app
 * report them, and any metric by name. Every chart carries the deploy markers; drag to zoom.
 */
export function MetricsExplorer({ serviceId }: { serviceId?: string }) {
  const { range, setPreset, setFixed, refresh, params, update } = useTimeRange('6h');
  const names = useMetricNames(serviceId);
  const name = params.get('metric') ?? '';
  const agg = (METRIC_AGGS as readonly string[]).includes(params.get('agg') ?? '') ? (params.get('agg') as MetricAgg) : 'avg';
  const groupBy = params.get('group_by') ?? '';
  const servers = useServers(useOrgId());
  const serverNames = useMemo(() => new Map((servers.data ?? []).map((s) => [s.id, s.name])), [servers.data]);
  // CPU and memory as the agents report them: one service's, or (org-wide) per service and per host.
  const known = new Set((names.data?.items ?? []).map((n) => n.name));
  const resources = (serviceId
    ? ([
        { name: 'service.cpu_percent', title: 'CPU' },
        { name: 'service.memory_mb', title: 'Memory' },
      ] as Array<{ name: string; title: string; groupBy?: string }>)
    : [
        { name: 'service.cpu_percent', title: 'CPU per service', groupBy: 'service.name' },
        { name: 'service.memory_mb', title: 'Memory per service', groupBy: 'service.name' },
        { name: 'host.cpu_percent', title: 'CPU per host', groupBy: 'host.id' },
        { name: 'host.memory_used_mb', title: 'Memory per host', groupBy: 'host.id' },
      ]
  ).filter((r) => known.has(r.name));
  return (
    <div data-testid="metrics-explorer">
      <div className="row filters">
        <TimeRangePicker range={range} onPreset={setPreset} onFixed={setFixed} onRefresh={refresh} />
        {!range.preset && (
          <button className="btn btn-small" onClick={() => setPreset('6h')}>
            Reset zoom
          </button>
        )}
      </div>
      <SpanCharts range={range} serviceId={serviceId} onZoom={setFixed} />
      {resources.length > 0 && (
        <div className="charts">
          {resources.map((r) => (
            <NamedMetric key={r.name} range={range} name={r.name} agg="avg" title={r.title} serviceId={serviceId} groupBy={r.groupBy} labels={serverNames} onZoom={setFixed} />
          ))}
        </div>
      )}
      <section className="card">
        <div className="row filters">
          <label className="field">
            <span>Metric</span>
            <select aria-label="Metric" value={name} onChange={(e) => update({ metric: e.target.value || null })}>
              <option value="">Choose a metric…</option>
              {(names.data?.items ?? []).map((n) => (
                <option key={`${n.type}-${n.name}`} value={n.name}>
                  {n.name} ({n.type})
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>Aggregation</span>
            <select aria-label="Aggregation" value={agg} onChange={(e) => update({ agg: e.target.value })}>
              {METRIC_AGGS.map((a) => (
                <option key={a} value={a}>
                  {a}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>Group by attribute</span>
            <input defaultValue={groupBy} placeholder="http.route" onBlur={(e) => update({ group_by: e.target.value.trim() || null })} />
          </label>
        </div>
        {names.isError && <ErrorState error={names.error} />}
        {name ? (
          <NamedMetric range={range} name={name} agg={agg} serviceId={serviceId} groupBy={groupBy || undefined} onZoom={setFixed} />
        ) : (
          <p className="muted">{names.data?.items.length === 0 ? 'No metrics received in the last week: send them over OTLP (/v1/metrics).' : 'Pick a metric to chart it.'}</p>
        )}
      </section>
    </div>
  );
}
