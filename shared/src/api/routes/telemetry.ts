import {
  LogContextQuerySchema,
  LogContextSchema,
  LogFacetsQuerySchema,
  LogFacetsSchema,
  LogRecordPageSchema,
  LogsQuerySchema,
  MetricNamesQuerySchema,
  MetricNamesSchema,
  MetricsAnswerSchema,
  MetricsQuerySchema,
  SpanMetricsQuerySchema,
  SpanMetricsSchema,
  TracePageSchema,
  TraceParams,
  TraceSchema,
  TracesQuerySchema,
} from '../telemetry.js';
import { contract } from './contract.js';

/** Query API of logs, traces and metrics (issue 13): the caller's current organisation, `X-Org-Id`. */
export const telemetryContracts = {
  getLogs: contract({ method: 'get', path: '/api/v1/logs', query: LogsQuerySchema, response: LogRecordPageSchema, orgHeader: true }),
  getLogsFacets: contract({ method: 'get', path: '/api/v1/logs/facets', query: LogFacetsQuerySchema, response: LogFacetsSchema, orgHeader: true }),
  getLogsContext: contract({ method: 'get', path: '/api/v1/logs/context', query: LogContextQuerySchema, response: LogContextSchema, orgHeader: true }),
  getTraces: contract({ method: 'get', path: '/api/v1/traces', query: TracesQuerySchema, response: TracePageSchema, orgHeader: true }),
  getTracesByTraceId: contract({ method: 'get', path: '/api/v1/traces/:traceId', params: TraceParams, response: TraceSchema, orgHeader: true }),
  getMetrics: contract({ method: 'get', path: '/api/v1/metrics', query: MetricsQuerySchema, response: MetricsAnswerSchema, orgHeader: true }),
  getMetricsNames: contract({ method: 'get', path: '/api/v1/metrics/names', query: MetricNamesQuerySchema, response: MetricNamesSchema, orgHeader: true }),
  getMetricsSpans: contract({ method: 'get', path: '/api/v1/metrics/spans', query: SpanMetricsQuerySchema, response: SpanMetricsSchema, orgHeader: true }),
};
