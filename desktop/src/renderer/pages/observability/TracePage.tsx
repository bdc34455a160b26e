import type { Span } from '@syntra/shared';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { ErrorState, PageHeader, Skeleton } from '../../components/ui.js';
import { useTrace } from '../../features/telemetry/queries.js';
import { SpanDetail } from '../../features/telemetry/SpanDetail.js';
import { TraceWaterfall } from '../../features/telemetry/TraceWaterfall.js';
import { formatMs } from '../../features/telemetry/waterfall.js';

export default function TracePage() {
  const { traceId = '' } = useParams();
  const trace = useTrace(traceId);
  const [selected, setSelected] = useState<Span | null>(null);
  if (trace.isPending) return <Skeleton rows={8} />;
  if (trace.isError) return <ErrorState error={trace.error} retry={() => void trace.refetch()} />;
  const spans = trace.data.spans;
  const root = spans.find((s) => !s.parent_span_id || !spans.some((p) => p.span_id === s.parent_span_id)) ?? spans[0]!;
  const errors = spans.filter((s) => s.status.code === 'Error').length;
  const services = [...new Set(spans.map((s) => s.service_name))];
  const start = Date.parse(root.start);
  return (
    <>
      <PageHeader
        title={root.name}
        subtitle={
          <>
            Trace <code>{traceId}</code> · {formatMs(root.duration)} · {spans.length} spans · {services.join(', ')}
            {errors > 0 && <span className="badge badge-bad">{errors} with errors</span>}
          </>
        }
        actions={
          <Link className="btn" to={`/observability/logs?trace_id=${traceId}&from=${start - 60_000}&to=${start + root.duration + 60_000}`}>
            Logs of this trace
          </Link>
        }
      />
      <section className="card">
        <TraceWaterfall spans={spans} selected={selected?.span_id ?? null} onSelect={setSelected} />
      </section>
      {selected && <SpanDetail span={selected} />}
    </>
  );
}
