import { z } from 'zod';
import { IdSchema, MAX_METRICS_SPAN_MS, MAX_SEARCH_SPAN_MS, METRIC_AGGS, SEVERITY_LEVELS, TraceIdSchema } from '@syntra/shared';
import { read } from './tool-types.js';

const ServiceRef = z.object({ service_id: IdSchema });
const limit = (max: number, dflt: number) => z.number().int().min(1).max(max).default(dflt);

/** A time range the model can say: ISO date-times, by default the last hour. */
const Range = {
  since: z.iso.datetime({ offset: true }).optional().describe('start (ISO 8601); default: one hour before `until`'),
  until: z.iso.datetime({ offset: true }).optional().describe('end (ISO 8601); default: now'),
};
const HOUR_MS = 3_600_000;

/** The range in epoch ms, its start moved up to the longest span the Query API allows (never a 400 for the model). */
function rangeOf(i: { since?: string | undefined; until?: string | undefined }, maxSpanMs: number) {
  const to = i.until ? Date.parse(i.until) : Date.now() + 1000;
  const from = Math.max(i.since ? Date.parse(i.since) : to - HOUR_MS, to - maxSpanMs);
  return { from: Math.min(from, to - 1000), to };
}

/** A metric step giving about 120 points over the range (the model reads shapes, not every sample). */
const stepFor = (r: { from: number; to: number }) => Math.max(10, Math.ceil((r.to - r.from) / 1000 / 120));

/**
 * Reads the model may call. Each runs, in the asker's organisation, the service method the matching
 * console route calls, after the route's own permission; what it gives back is trimmed for the model
 * (service-ports.ts, trim.ts).
 */
export const READ_TOOL_TABLE = [
  read({
    name: 'list_servers',
    description: "The organisation's servers with their status and latest resource usage.",
    input: z.object({}),
    permission: 'servers.read',
    run: (p, a) => p.listServers(a.orgId),
  }),
  read({
    name: 'get_server',
    description: 'One server by id: status, agent facts, latest usage.',
    input: z.object({ server_id: IdSchema }),
    permission: 'servers.read',
    run: (p, a, i) => p.getServer(a.orgId, i.server_id),
  }),
  read({
    name: 'list_services',
    description: "The organisation's projects, each with its services (id, name, server, status).",
    input: z.object({}),
    permission: 'projects.read',
    run: async (p, a) => {
      const projects = await p.listProjects(a.orgId);
      return Promise.all(projects.slice(0, 50).map(async (project) => ({ project: { id: project.id, name: project.name }, services: await p.listServices(a.orgId, project.id) })));
    },
  }),
  read({
    name: 'get_service',
    description: 'One service by id: its settings, domains and current deployment.',
    input: ServiceRef,
    permission: 'projects.read',
    run: (p, a, i) => p.getService(a.orgId, i.service_id),
  }),
  read({
    name: 'get_service_env',
    description: "A service's environment variable names (values are never given to the assistant).",
    input: ServiceRef,
    permission: 'projects.read',
    run: async (p, a, i) => {
      // The same view as the console's (masked without env.reveal), and even where the user may
      // see values they are not sent to the model: it needs names, never secrets.
      const view = await p.viewEnv(a.orgId, i.service_id, a.permissions);
      return { masked_for_this_user: view.masked, keys: view.vars.map((v) => v.key) };
    },
  }),
  read({
    name: 'list_deployments',
    description: 'Recent deployments, newest first; optionally of one service or in one status.',
    input: z.object({ service_id: IdSchema.optional(), status: z.string().max(32).optional(), limit: limit(50, 20) }),
    permission: 'projects.read',
    run: (p, a, i) => p.listDeployments(a.orgId, i),
  }),
  read({
    name: 'get_deployment',
    description: 'One deployment by id with the tail of its build/deploy log.',
    input: z.object({ deployment_id: IdSchema }),
    permission: 'projects.read',
    run: (p, a, i) => p.getDeployment(a.orgId, i.deployment_id),
  }),
  read({
    name: 'service_logs',
    description: 'The last runtime log lines (stdout/stderr and OTLP logs) of one service.',
    input: z.object({ service_id: IdSchema, tail: limit(200, 50) }),
    permission: 'projects.read',
    run: (p, a, i) => p.serviceLogs(a.orgId, i.service_id, i.tail),
  }),
  read({
    name: 'search_logs',
    description: 'Search the telemetry logs of all services (or one), newest first: words, severities, a trace id, a time range (default the last hour, at most 7 days).',
    input: z.object({
      service_id: IdSchema.optional(),
      q: z.string().max(500).optional().describe('words that must all appear in the line'),
      severity: z.array(z.enum(SEVERITY_LEVELS)).max(6).optional(),
      trace_id: TraceIdSchema.optional(),
      ...Range,
      limit: limit(100, 50),
    }),
    permission: 'telemetry.read',
    run: (p, a, i) => p.searchLogs(a.orgId, { ...rangeOf(i, MAX_SEARCH_SPAN_MS), service_id: i.service_id, q: i.q, severity: i.severity, trace_id: i.trace_id, limit: i.limit }),
  }),
  read({
    name: 'search_traces',
    description: 'Traces (root spans) newest first with duration, span count and error flag: by service, operation, minimum duration, status, time range (default the last hour).',
    input: z.object({
      service_id: IdSchema.optional(),
      operation: z.string().max(300).optional(),
      min_duration_ms: z.number().min(0).max(86_400_000).optional(),
      status: z.enum(['error', 'ok']).optional(),
      ...Range,
      limit: limit(50, 20),
    }),
    permission: 'telemetry.read',
    run: (p, a, i) => p.searchTraces(a.orgId, { ...rangeOf(i, MAX_SEARCH_SPAN_MS), service_id: i.service_id, operation: i.operation, min_duration_ms: i.min_duration_ms, status: i.status, limit: i.limit }),
  }),
  read({
    name: 'get_trace',
    description: "One trace's spans in start order (name, service, duration, status, key attributes).",
    input: z.object({ trace_id: TraceIdSchema }),
    permission: 'telemetry.read',
    run: (p, a, i) => p.getTrace(a.orgId, i.trace_id),
  }),
  read({
    name: 'list_metrics',
    description: 'Metric names seen in the last week (of a service or a server, or all), with type and unit.',
    input: z.object({ service_id: IdSchema.optional(), server_id: IdSchema.optional() }),
    permission: 'telemetry.read',
    run: (p, a, i) => p.metricNames(a.orgId, i),
  }),
  read({
    name: 'query_metric',
    description: "A metric's series over a time range (default the last hour, at most 31 days), about 120 points, aggregated per step; grouped by an attribute if asked; with the deploys in the range.",
    input: z.object({
      name: z.string().min(1).max(300),
      service_id: IdSchema.optional(),
      server_id: IdSchema.optional(),
      agg: z.enum(METRIC_AGGS).default('avg'),
      group_by: z.string().max(128).optional(),
      ...Range,
    }),
    permission: 'telemetry.read',
    run: (p, a, i) => {
      const r = rangeOf(i, MAX_METRICS_SPAN_MS);
      return p.queryMetric(a.orgId, { ...r, step: stepFor(r), name: i.name, service_id: i.service_id, server_id: i.server_id, agg: i.agg, group_by: i.group_by });
    },
  }),
  read({
    name: 'get_timeline',
    description: 'The incident timeline of one service (deploys, alerts, failed health checks) or one server (offline/online, alerts), newest first; default the last 24 hours.',
    input: z
      .object({ service_id: IdSchema.optional(), server_id: IdSchema.optional(), since: Range.since, until: Range.until })
      .refine((i) => Boolean(i.service_id) !== Boolean(i.server_id), 'give service_id or server_id'),
    permission: 'alerts.read',
    run: (p, a, i) => p.timeline(a.orgId, { service_id: i.service_id, server_id: i.server_id }, { from: i.since, to: i.until }),
  }),
  read({
    name: 'list_issues',
    description: 'Error-tracking issues (grouped exceptions), most recent first; filter by words, status (unresolved, resolved, ignored, regressed) or service.',
    input: z.object({
      q: z.string().max(200).optional(),
      status: z.enum(['unresolved', 'resolved', 'ignored', 'regressed']).optional(),
      service_id: IdSchema.optional(),
      limit: limit(50, 20),
    }),
    permission: 'issues.read',
    run: (p, a, i) => p.listIssues(a.orgId, i),
  }),
  read({
    name: 'get_issue',
    description: 'One issue with its counts, the deploy that introduced it, its AI analysis if any, and its latest event (exception, in-app frames, breadcrumbs, tags).',
    input: z.object({ issue_id: IdSchema }),
    permission: 'issues.read',
    run: (p, a, i) => p.getIssue(a.orgId, i.issue_id),
  }),
];
