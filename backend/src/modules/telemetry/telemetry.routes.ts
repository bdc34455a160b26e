import { contracts } from '@syntra/shared';
import type { AppDeps } from '../../deps.js';
import { defineRoute } from '../../http/route.js';

const read = { kind: 'org', permission: 'telemetry.read', org: 'header' } as const;
const q = (deps: AppDeps) => deps.services.telemetryQuery;

/** Query API of logs, traces and metrics (issue 13). */
export const telemetryRoutes = [
  defineRoute(contracts.getLogs, {
    summary: 'Log lines, newest first: time range, service, words, severity, attr.<key>=<value>, trace id (keyset pages)',
    tag: 'telemetry',
    access: read,
    handler: ({ org, query }, deps) => q(deps).logs(org.id, query),
  }),
  defineRoute(contracts.getLogsFacets, {
    summary: 'Counts per severity of what a log search matches (its severity filter left out)',
    tag: 'telemetry',
    access: read,
    handler: ({ org, query }, deps) => q(deps).logFacets(org.id, query),
  }),
  defineRoute(contracts.getLogsContext, {
    summary: 'The lines around one log line of the same service',
    tag: 'telemetry',
    access: read,
    handler: ({ org, query }, deps) => q(deps).logContext(org.id, query),
  }),
  defineRoute(contracts.getTraces, {
    summary: 'Traces (root spans) with duration, span count and error flag, newest first',
    tag: 'telemetry',
    access: read,
    handler: ({ org, query }, deps) => q(deps).traces(org.id, query),
  }),
  defineRoute(contracts.getTracesByTraceId, {
    summary: "One trace's spans in start order (404 when the organisation has no such trace)",
    tag: 'telemetry',
    access: read,
    handler: ({ org, params }, deps) => q(deps).trace(org.id, params.traceId),
  }),
  defineRoute(contracts.getMetrics, {
    summary: 'A metric as series of points per step (avg, sum, min, max, count, rate, p50/p95/p99), with deploy markers',
    tag: 'telemetry',
    access: read,
    handler: ({ org, query }, deps) => q(deps).metrics(org.id, query),
  }),
  defineRoute(contracts.getMetricsNames, {
    summary: 'Metric names seen in the last week (gauges, sums, histograms)',
    tag: 'telemetry',
    access: read,
    handler: ({ org, query }, deps) => q(deps).metricNames(org.id, query),
  }),
  defineRoute(contracts.getMetricsSpans, {
    summary: 'Request rate, error rate and latency p50/p95/p99 derived from spans, with deploy markers',
    tag: 'telemetry',
    access: read,
    handler: ({ org, query }, deps) => q(deps).spanMetrics(org.id, query),
  }),
];
