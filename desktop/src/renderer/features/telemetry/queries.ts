import { contracts, type MetricAgg } from '@syntra/shared';
import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { call } from '../../lib/api-client.js';
import { NO_PERSIST } from '../../lib/query-client.js';
import type { TimeRange } from './time-range.js';

// Telemetry answers are large and change by the second: kept in memory only, never persisted.
const base = { meta: NO_PERSIST, placeholderData: keepPreviousData, retry: false } as const;
const rangeQuery = (r: TimeRange) => ({ from: String(r.from), to: String(r.to) });

export function useLogs(range: TimeRange, filters: Record<string, string | undefined>) {
  return useInfiniteQuery({
    queryKey: ['telemetry', 'logs', range.from, range.to, filters],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) => call(contracts.getLogs, { query: { ...rangeQuery(range), ...filters, limit: 500, cursor: pageParam } }),
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    meta: NO_PERSIST,
    retry: false,
  });
}

export function useLogFacets(range: TimeRange, filters: Record<string, string | undefined>) {
  const { severity: _ignored, ...rest } = filters;
  return useQuery({ ...base, queryKey: ['telemetry', 'facets', range.from, range.to, rest], queryFn: () => call(contracts.getLogsFacets, { query: { ...rangeQuery(range), ...rest } }) });
}

export function useLogContext(id: string | null, serviceId?: string) {
  return useQuery({
    ...base,
    placeholderData: undefined,
    queryKey: ['telemetry', 'context', id],
    enabled: !!id,
    queryFn: () => call(contracts.getLogsContext, { query: { id: id!, service_id: serviceId, before: 15, after: 15 } }),
  });
}

export function useTraces(range: TimeRange, filters: { service_id?: string | undefined; operation?: string | undefined; min_duration_ms?: string | undefined; status?: string | undefined }) {
  return useInfiniteQuery({
    queryKey: ['telemetry', 'traces', range.from, range.to, filters],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) => call(contracts.getTraces, { query: { ...rangeQuery(range), ...filters, limit: 100, cursor: pageParam } }),
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    meta: NO_PERSIST,
    retry: false,
  });
}

export function useTrace(traceId: string) {
  return useQuery({ ...base, placeholderData: undefined, queryKey: ['telemetry', 'trace', traceId], queryFn: () => call(contracts.getTracesByTraceId, { params: { traceId } }) });
}

/** A step that gives a chart about 120 points over the range (at least 10 s). */
export function stepFor(r: TimeRange): number {
  return Math.max(10, Math.ceil((r.to - r.from) / 1000 / 120));
}

export function useMetric(range: TimeRange, q: { name: string; agg: MetricAgg; service_id?: string | undefined; group_by?: string | undefined }) {
  return useQuery({
    ...base,
    queryKey: ['telemetry', 'metric', range.from, range.to, q],
    enabled: !!q.name,
    queryFn: () => call(contracts.getMetrics, { query: { ...rangeQuery(range), ...q, step: stepFor(range) } }),
  });
}

export function useMetricNames(serviceId?: string) {
  return useQuery({ ...base, queryKey: ['telemetry', 'metric-names', serviceId ?? ''], queryFn: () => call(contracts.getMetricsNames, { query: { service_id: serviceId } }) });
}

export function useSpanMetrics(range: TimeRange, serviceId?: string) {
  return useQuery({
    ...base,
    queryKey: ['telemetry', 'span-metrics', range.from, range.to, serviceId ?? ''],
    queryFn: () => call(contracts.getMetricsSpans, { query: { ...rangeQuery(range), service_id: serviceId, step: stepFor(range) } }),
  });
}
