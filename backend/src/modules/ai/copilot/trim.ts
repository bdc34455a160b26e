import type { LogRecord, MetricsAnswer, Timeline, Trace, TraceSummary } from '@syntra/shared';

// What the co-pilot's telemetry tools give the model: the fields that answer questions, long text
// cut, lists bounded. The console's "what the AI saw" shows exactly this.

const cut = (text: string, max: number) => (text.length > max ? `${text.slice(0, max)}…` : text);

/** At most `max` attributes, each value cut: enough to see http.route or an error type, not a dump. */
function someAttributes(attrs: Record<string, string>, max = 12): Record<string, string> {
  return Object.fromEntries(Object.entries(attrs).slice(0, max).map(([k, v]) => [k, cut(v, 200)]));
}

export function trimLogs(page: { items: LogRecord[]; next_cursor: string | null }) {
  return {
    lines: page.items.map((l) => ({
      at: l.timestamp,
      severity: l.severity,
      service: l.service_name,
      service_id: l.service_id,
      body: cut(l.body, 600),
      ...(l.trace_id ? { trace_id: l.trace_id } : {}),
      ...(l.deployment_id ? { deployment_id: l.deployment_id } : {}),
    })),
    more: page.next_cursor !== null,
  };
}

export function trimTraces(page: { items: TraceSummary[]; next_cursor: string | null }) {
  return {
    traces: page.items.map((t) => ({ trace_id: t.trace_id, service: t.service_name, service_id: t.service_id, operation: t.operation, start: t.start, duration_ms: Math.round(t.duration_ms * 10) / 10, spans: t.span_count, error: t.error })),
    more: page.next_cursor !== null,
  };
}

const MAX_SPANS = 80;

export function trimTrace(trace: Trace) {
  return {
    trace_id: trace.trace_id,
    span_count: trace.spans.length,
    spans: trace.spans.slice(0, MAX_SPANS).map((s) => ({
      span_id: s.span_id,
      parent_span_id: s.parent_span_id || null,
      name: s.name,
      kind: s.kind,
      service: s.service_name,
      start: s.start,
      duration_ms: Math.round(s.duration * 10) / 10,
      status: s.status.code,
      ...(s.status.message ? { status_message: cut(s.status.message, 300) } : {}),
      attributes: someAttributes(s.attributes),
      ...(s.events.length ? { events: s.events.slice(0, 5).map((e) => ({ name: e.name, at: e.timestamp, attributes: someAttributes(e.attributes, 6) })) } : {}),
    })),
    ...(trace.spans.length > MAX_SPANS ? { note: `only the first ${MAX_SPANS} spans are shown` } : {}),
  };
}

const MAX_SERIES = 10;
const MAX_POINTS = 120;

/** A metric's series, each evenly thinned to at most MAX_POINTS (the first and last kept). */
export function trimMetric(answer: MetricsAnswer) {
  const thin = (points: Array<[number, number]>) => {
    if (points.length <= MAX_POINTS) return points;
    const every = (points.length - 1) / (MAX_POINTS - 1);
    return Array.from({ length: MAX_POINTS }, (_, i) => points[Math.round(i * every)]!);
  };
  return {
    name: answer.name,
    type: answer.type,
    unit: answer.unit,
    agg: answer.agg,
    step_seconds: answer.step,
    series: answer.series.slice(0, MAX_SERIES).map((s) => ({ group: s.group, points: thin(s.points).map(([t, v]) => [new Date(t).toISOString(), Math.round(v * 1000) / 1000]) })),
    ...(answer.series.length > MAX_SERIES ? { note: `${answer.series.length - MAX_SERIES} more series not shown` } : {}),
    deploys: answer.markers.slice(0, 20).map((m) => ({ deployment_id: m.deployment_id, at: m.at, status: m.status, commit: m.git_commit_sha?.slice(0, 12) ?? null })),
  };
}

const MAX_ENTRIES = 100;

export function trimTimeline(t: Timeline) {
  return {
    from: t.from,
    to: t.to,
    entries: t.entries.slice(0, MAX_ENTRIES).map((e) => ({ at: e.at, kind: e.kind, title: cut(e.title, 200), severity: e.severity, ref: e.ref })),
    ...(t.entries.length > MAX_ENTRIES ? { note: `${t.entries.length - MAX_ENTRIES} older entries not shown` } : {}),
  };
}
