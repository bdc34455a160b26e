import type { Span, TraceSummary } from '@syntra/shared';
import { ValidationError } from '../../../errors.js';
import type { BoundedQuery } from './bounded.js';
import { lineKey, parseLineKey } from './log-sql.js';
import { C, T } from './schema.js';
import { and, Params } from './sql.js';

/** The exporter writes `Error` (older collectors `STATUS_CODE_ERROR`). */
const IS_ERROR = `StatusCode IN ('Error', 'STATUS_CODE_ERROR')`;
const SPAN_KEY = 'sipHash64(SpanId)';
/** How long after its root span a trace's other spans are looked for. */
const TRACE_TAIL_MS = 3_600_000;

export interface TraceFilter {
  orgId: string;
  fromMs: number;
  toMs: number;
  serviceId?: string | undefined;
  operation?: string | undefined;
  minDurationMs?: number | undefined;
  status?: 'error' | 'ok' | undefined;
}

interface RootRow {
  ns: string;
  h: string;
  TraceId: string;
  SpanId: string;
  SpanName: string;
  ServiceName: string;
  service_id: string | null;
  duration_ns: string;
  StatusCode: string;
}

interface SpanRow {
  ns: string;
  TraceId: string;
  SpanId: string;
  ParentSpanId: string;
  SpanName: string;
  SpanKind: string;
  ServiceName: string;
  service_id: string | null;
  duration_ns: string;
  StatusCode: string;
  StatusMessage: string;
  SpanAttributes: Record<string, string>;
  ResourceAttributes: Record<string, string>;
  events: Array<[string, string, Record<string, string>]>;
  links: Array<[string, string, Record<string, string>]>;
}

const nsToIso = (ns: string) => new Date(Number(BigInt(ns) / 1_000_000n)).toISOString();
const nsToMs = (ns: string) => Number(BigInt(ns)) / 1e6;
const idOrNull = (v: string | null) => (v && v !== '00000000-0000-0000-0000-000000000000' ? v : null);

/** Trace search (root spans) and one trace's spans over `otel_traces`. */
export class TracesQuery {
  constructor(private readonly q: BoundedQuery) {}

  async search(f: TraceFilter, limit: number, cursor?: string): Promise<{ items: TraceSummary[]; next_cursor: string | null }> {
    const p = new Params();
    const org = `${C.org} = ${p.add(f.orgId, C.idType)}`;
    const range = `Timestamp >= fromUnixTimestamp64Milli(${p.add(f.fromMs, 'Int64')}) AND Timestamp < fromUnixTimestamp64Milli(${p.add(f.toMs, 'Int64')})`;
    const where = [org, range, `ParentSpanId = ''`];
    if (f.serviceId) where.push(`${C.service} = ${p.add(f.serviceId, C.idType)}`);
    if (f.operation) where.push(`SpanName = ${p.add(f.operation, 'String')}`);
    if (f.minDurationMs !== undefined) where.push(`Duration >= ${p.add(Math.round(f.minDurationMs * 1e6), 'UInt64')}`);
    if (f.status) {
      const errored = `SELECT TraceId FROM ${T.traces} WHERE ${org} AND Timestamp >= fromUnixTimestamp64Milli(${p.add(f.fromMs, 'Int64')}) AND Timestamp < fromUnixTimestamp64Milli(${p.add(f.toMs + TRACE_TAIL_MS, 'Int64')}) AND ${IS_ERROR}`;
      where.push(`TraceId ${f.status === 'error' ? 'IN' : 'NOT IN'} (${errored})`);
    }
    if (cursor) {
      const key = parseLineKey(cursor);
      if (!key) throw new ValidationError('Invalid cursor', { field: 'cursor', message: 'not a cursor of this list (pass back next_cursor as it was given)' });
      where.push(`(Timestamp, ${SPAN_KEY}) < (fromUnixTimestamp64Nano(${p.add(key.ns, 'Int64')}), ${p.add(key.h, 'UInt64')})`);
    }
    const roots = await this.q.rows<RootRow>(
      `SELECT toString(toUnixTimestamp64Nano(Timestamp)) AS ns, toString(${SPAN_KEY}) AS h, TraceId, SpanId, SpanName, ServiceName, ${C.service} AS service_id,
         toString(Duration) AS duration_ns, StatusCode
       FROM ${T.traces} WHERE ${and(where)} ORDER BY Timestamp DESC, ${SPAN_KEY} DESC LIMIT ${p.add(limit + 1, 'UInt32')}`,
      p,
    );
    const page = roots.slice(0, limit);
    const stats = await this.spanStats(f.orgId, page.map((r) => r.TraceId), f.fromMs, f.toMs + TRACE_TAIL_MS);
    const last = page.at(-1);
    return {
      items: page.map((r) => {
        const s = stats.get(r.TraceId);
        return {
          trace_id: r.TraceId,
          root_span_id: r.SpanId,
          service_id: idOrNull(r.service_id),
          service_name: r.ServiceName,
          operation: r.SpanName,
          start: nsToIso(r.ns),
          duration_ms: nsToMs(r.duration_ns),
          span_count: s?.spans ?? 1,
          error: (s?.errors ?? 0) > 0,
          status: r.StatusCode,
        };
      }),
      next_cursor: roots.length > limit && last ? lineKey(last.ns, last.h) : null,
    };
  }

  private async spanStats(orgId: string, traceIds: string[], fromMs: number, toMs: number) {
    const out = new Map<string, { spans: number; errors: number }>();
    if (traceIds.length === 0) return out;
    const p = new Params();
    const rows = await this.q.rows<{ TraceId: string; spans: string; errors: string }>(
      `SELECT TraceId, count() AS spans, countIf(${IS_ERROR}) AS errors FROM ${T.traces}
       WHERE ${C.org} = ${p.add(orgId, C.idType)} AND TraceId IN ${p.add(traceIds, 'Array(String)')}
         AND Timestamp >= fromUnixTimestamp64Milli(${p.add(fromMs, 'Int64')}) AND Timestamp < fromUnixTimestamp64Milli(${p.add(toMs, 'Int64')})
       GROUP BY TraceId`,
      p,
    );
    for (const r of rows) out.set(r.TraceId, { spans: Number(r.spans), errors: Number(r.errors) });
    return out;
  }

  /**
   * One trace's spans in start order, or null when the organisation has none with this id. One
   * statement: its scalar subquery reads the trace's window from the trace-id lookup table (one
   * granule: the table is ordered by org and trace id), and ClickHouse folds that window into a
   * constant before index analysis, so the span read is pruned to the window's partitions and
   * granules (then the TraceId bloom filter) instead of scanning every day. One round trip, not two.
   * A trace id the organisation does not have gives an empty window, hence no rows.
   */
  async get(orgId: string, traceId: string): Promise<Span[] | null> {
    const q = new Params();
    const org = `${C.org} = ${q.add(orgId, C.idType)}`;
    const id = `TraceId = ${q.add(traceId, 'String')}`;
    // Start/End are whole seconds: widen by one on each side (End + 2 with the strict bound).
    const rows = await this.q.rows<SpanRow>(
      `WITH (SELECT tuple(min(Start), max(End)) FROM ${T.traceIdTs} WHERE ${org} AND ${id}) AS win
       SELECT toString(toUnixTimestamp64Nano(Timestamp)) AS ns, TraceId, SpanId, ParentSpanId, SpanName, SpanKind, ServiceName, ${C.service} AS service_id,
         toString(Duration) AS duration_ns, StatusCode, StatusMessage, SpanAttributes, ResourceAttributes,
         arrayZip(arrayMap(t -> toString(toUnixTimestamp64Nano(t)), Events.Timestamp), Events.Name, Events.Attributes) AS events,
         arrayZip(Links.TraceId, Links.SpanId, Links.Attributes) AS links
       FROM ${T.traces}
       WHERE ${org} AND ${id}
         AND Timestamp >= toDateTime64(tupleElement(win, 1) - 1, 9) AND Timestamp < toDateTime64(tupleElement(win, 2) + 2, 9)
       ORDER BY Timestamp ASC LIMIT 10000`,
      q,
    );
    if (rows.length === 0) return null;
    return rows.map((r) => ({
      trace_id: r.TraceId,
      span_id: r.SpanId,
      parent_span_id: r.ParentSpanId,
      name: r.SpanName,
      kind: r.SpanKind,
      service_id: idOrNull(r.service_id),
      service_name: r.ServiceName,
      start: nsToIso(r.ns),
      start_ns: r.ns,
      duration: nsToMs(r.duration_ns),
      status: { code: r.StatusCode, message: r.StatusMessage },
      attributes: r.SpanAttributes,
      resource_attributes: r.ResourceAttributes,
      events: r.events.map(([ns, name, attributes]) => ({ name, timestamp: nsToIso(ns), attributes })),
      links: r.links.map(([trace_id, span_id, attributes]) => ({ trace_id, span_id, attributes })),
    }));
  }
}
