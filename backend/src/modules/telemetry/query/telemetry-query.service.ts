import {
  attributeFilters,
  MAX_SEARCH_SPAN_MS,
  type DeployMarker,
  type LogsQuery as LogsQueryInput,
  type MetricsQuery as MetricsQueryInput,
  type ServiceLogLine,
  type ServiceLogsQuery,
  type TracesQuery as TracesQueryInput,
  type LogFacetsQuery as FacetsInput,
  type LogContextQuery as ContextInput,
  type SpanMetricsQuery as SpanMetricsInput,
  type MetricNamesQuery as NamesInput,
} from '@syntra/shared';
import type { ClickHouseClient } from '@clickhouse/client';
import { NotFoundError } from '../../../errors.js';
import { BoundedQuery, DEFAULT_QUERY_LIMITS, type QueryLimits } from './bounded.js';
import type { LogFilter } from './log-sql.js';
import { LogsQuery } from './logs.query.js';
import { type AggregateFilter, MetricsQuery } from './metrics.query.js';
import { SpanMetricsQuery } from './span-metrics.query.js';
import { TracesQuery } from './traces.query.js';

/** What the query service asks of other modules (given at construction: services.ts). */
export interface TelemetryQueryDeps {
  clickhouse: ClickHouseClient;
  /** Throws NotFoundError unless the service belongs to the organisation (ServiceService#context). */
  serviceInOrg(orgId: string, serviceId: string): Promise<unknown>;
  /** The deployments that went live in the range (DeploymentService#markers). */
  deployMarkers(orgId: string, serviceId: string | null, from: Date, to: Date): Promise<DeployMarker[]>;
  limits?: QueryLimits;
}

/**
 * The Query API of issue 13. Every read names the caller's organisation in its SQL (the tenancy
 * wall), a service given by id is checked to be the organisation's first (else 404), and every
 * statement runs with the row, byte, memory and time limits of BoundedQuery.
 */
export class TelemetryQueryService {
  private readonly logsQ: LogsQuery;
  private readonly tracesQ: TracesQuery;
  private readonly metricsQ: MetricsQuery;
  private readonly spansQ: SpanMetricsQuery;

  constructor(private readonly deps: TelemetryQueryDeps) {
    const bounded = new BoundedQuery(deps.clickhouse, deps.limits ?? DEFAULT_QUERY_LIMITS);
    this.logsQ = new LogsQuery(bounded);
    this.tracesQ = new TracesQuery(bounded);
    this.metricsQ = new MetricsQuery(bounded);
    this.spansQ = new SpanMetricsQuery(bounded);
  }

  private async checkService(orgId: string, serviceId: string | undefined) {
    if (serviceId) await this.deps.serviceInOrg(orgId, serviceId);
  }

  private logFilter(orgId: string, q: FacetsInput): LogFilter {
    return {
      orgId,
      fromMs: q.from,
      toMs: q.to,
      serviceId: q.service_id,
      q: q.q,
      severity: q.severity,
      traceId: q.trace_id,
      deploymentId: q.deployment_id,
      attrs: attributeFilters(q),
    };
  }

  async logs(orgId: string, q: LogsQueryInput) {
    await this.checkService(orgId, q.service_id);
    return this.logsQ.search(this.logFilter(orgId, q), q.limit, q.cursor);
  }

  async logFacets(orgId: string, q: FacetsInput) {
    await this.checkService(orgId, q.service_id);
    return this.logsQ.facets(this.logFilter(orgId, q));
  }

  async logContext(orgId: string, q: ContextInput) {
    await this.checkService(orgId, q.service_id);
    const ctx = await this.logsQ.context(orgId, q.id, q.before, q.after);
    if (!ctx.line || (q.service_id && ctx.line.service_id !== q.service_id)) throw new NotFoundError('Log line');
    return ctx;
  }

  /**
   * The seed's service log route: the last `tail` lines (oldest first), now with the explorer's
   * filters. Without `since` it looks back as far as a search may (7 days); a longer range is cut to that.
   */
  async serviceLogs(orgId: string, serviceId: string, q: ServiceLogsQuery): Promise<ServiceLogLine[]> {
    await this.deps.serviceInOrg(orgId, serviceId);
    const toMs = q.until ? Date.parse(q.until) + 1 : Date.now() + 60_000;
    const fromMs = Math.max(q.since ? Date.parse(q.since) : 0, toMs - MAX_SEARCH_SPAN_MS);
    if (fromMs >= toMs) return [];
    const page = await this.logsQ.search(
      { orgId, serviceId, fromMs, toMs, q: q.q, severity: q.severity, traceId: q.trace_id, deploymentId: q.deployment_id, attrs: attributeFilters(q) },
      q.tail,
    );
    return page.items.reverse().map((r) => ({
      ts: r.timestamp,
      deployment_id: r.deployment_id,
      stream: r.attributes['log.iostream'] ?? r.attributes.stream ?? 'stdout',
      line: r.body,
      severity: r.severity,
      trace_id: r.trace_id,
      span_id: r.span_id,
      attributes: r.attributes,
    }));
  }

  async traces(orgId: string, q: TracesQueryInput) {
    await this.checkService(orgId, q.service_id);
    return this.tracesQ.search(
      { orgId, fromMs: q.from, toMs: q.to, serviceId: q.service_id, operation: q.operation, minDurationMs: q.min_duration_ms, status: q.status },
      q.limit,
      q.cursor,
    );
  }

  /** Another organisation's trace id is a 404, exactly like one that does not exist. */
  async trace(orgId: string, traceId: string) {
    const spans = await this.tracesQ.get(orgId, traceId);
    if (!spans) throw new NotFoundError('Trace');
    return { trace_id: traceId, spans };
  }

  private markers(orgId: string, serviceId: string | undefined, fromMs: number, toMs: number) {
    return this.deps.deployMarkers(orgId, serviceId ?? null, new Date(fromMs), new Date(toMs));
  }

  async metrics(orgId: string, q: MetricsQueryInput) {
    await this.checkService(orgId, q.service_id);
    const [answer, markers] = await Promise.all([
      this.metricsQ.series({ orgId, serviceId: q.service_id, serverId: q.server_id, name: q.name, fromMs: q.from, toMs: q.to, step: q.step, agg: q.agg, groupBy: q.group_by }),
      this.markers(orgId, q.service_id, q.from, q.to),
    ]);
    return { ...answer, markers };
  }

  async metricNames(orgId: string, q: NamesInput) {
    await this.checkService(orgId, q.service_id);
    return this.metricsQ.names(orgId, q.service_id, q.server_id);
  }

  async spanMetrics(orgId: string, q: SpanMetricsInput) {
    await this.checkService(orgId, q.service_id);
    const [points, markers] = await Promise.all([
      this.spansQ.points({ orgId, serviceId: q.service_id, fromMs: q.from, toMs: q.to, step: q.step }),
      this.markers(orgId, q.service_id, q.from, q.to),
    ]);
    return { step: q.step, points, markers };
  }

  // Single numbers for alert rules (issue 14). Callers pass a rule's organisation and scope, which
  // alerting checked when the rule was saved, so the service is not looked up again on every tick.

  /** Lines matching a search in [from, to) (log_match). */
  logCount(orgId: string, where: { serviceId?: string | undefined; query: string }, fromMs: number, toMs: number): Promise<number> {
    return this.logsQ.count({ orgId, serviceId: where.serviceId, q: where.query, fromMs, toMs });
  }

  /** p95 latency (ms), error share and requests of a service's entry spans over the window; null without spans. */
  spanStats(orgId: string, serviceId: string, fromMs: number, toMs: number) {
    return this.spansQ.stats({ orgId, serviceId, fromMs, toMs });
  }

  /** One aggregate of a metric over the window, overall or per server (MetricsQuery.aggregate). */
  metricAggregate(orgId: string, f: Omit<AggregateFilter, 'orgId'>) {
    return this.metricsQ.aggregate({ ...f, orgId });
  }
}
