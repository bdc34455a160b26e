import { chTime } from '../../src/modules/telemetry/index.js';
import { unique } from './targets.js';
import type { MatrixCtx, ModuleFixtures } from './types.js';

const lastHour = () => `from=${Date.now() - 3_600_000}&to=${Date.now()}`;

/** A log line of the owner's org, stored through the telemetry writer; its id (from a search). */
async function storedLogLine(ctx: MatrixCtx): Promise<string> {
  const body = unique('line');
  await ctx.env.deps.services.telemetryWriter.write('otel_logs', [{ OrgId: ctx.owner.orgId, Timestamp: chTime(Date.now()), Body: body }]);
  const res = await ctx.api.get(`/api/v1/logs?${lastHour()}&q=${body}`, { token: ctx.owner.token, orgId: ctx.owner.orgId });
  return res.body.data.items[0].id as string;
}

/** A one-span trace of the owner's org; its id. */
async function storedTrace(ctx: MatrixCtx): Promise<string> {
  const traceId = crypto.randomUUID().replace(/-/g, '');
  await ctx.env.deps.services.telemetryWriter.write('otel_traces', [{ OrgId: ctx.owner.orgId, Timestamp: chTime(Date.now()), TraceId: traceId, SpanId: '0123456789abcdef', SpanName: 'GET /', Duration: 1_000_000 }]);
  return traceId;
}

// ---- telemetry query API (issue 13) ----
export const TELEMETRY_FIXTURES: ModuleFixtures = {
  // ---- telemetry query API (issue 13): rows written through the store's writer ----
  'GET /api/v1/logs': { request: async (ctx) => ({ path: `/api/v1/logs?${lastHour()}&q=hello&severity=info&attr.k=v&limit=5`, orgId: ctx.owner.orgId }) },
  'GET /api/v1/logs/facets': { request: async (ctx) => ({ path: `/api/v1/logs/facets?${lastHour()}&q=hello`, orgId: ctx.owner.orgId }) },
  'GET /api/v1/logs/context': { request: async (ctx) => ({ path: `/api/v1/logs/context?id=${await storedLogLine(ctx)}&before=2&after=2`, orgId: ctx.owner.orgId }) },
  'GET /api/v1/traces': { request: async (ctx) => ({ path: `/api/v1/traces?${lastHour()}&status=error&limit=5`, orgId: ctx.owner.orgId }) },
  'GET /api/v1/traces/:traceId': { request: async (ctx) => ({ path: `/api/v1/traces/${await storedTrace(ctx)}`, orgId: ctx.owner.orgId }) },
  'GET /api/v1/metrics': { request: async (ctx) => ({ path: `/api/v1/metrics?${lastHour()}&name=cpu&step=60&agg=avg`, orgId: ctx.owner.orgId }) },
  'GET /api/v1/metrics/names': { request: async (ctx) => ({ path: '/api/v1/metrics/names', orgId: ctx.owner.orgId }) },
  'GET /api/v1/metrics/spans': { request: async (ctx) => ({ path: `/api/v1/metrics/spans?${lastHour()}&step=60`, orgId: ctx.owner.orgId }) },
};
