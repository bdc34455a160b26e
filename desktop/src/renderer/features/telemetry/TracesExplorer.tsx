import { Link } from 'react-router';
import { useEffect, useState } from 'react';
import { Badge, EmptyState, ErrorState, Skeleton } from '../../components/ui.js';
import { useTraces } from './queries.js';
import { TimeRangePicker } from './TimeRangePicker.js';
import { useTimeRange } from './time-range.js';
import { formatMs } from './waterfall.js';

/** Traces (root spans) in the range, filtered by operation, minimum duration and status. */
export function TracesExplorer({ serviceId }: { serviceId?: string }) {
  const { range, setPreset, setFixed, refresh, params, update } = useTimeRange('1h');
  const [operation, setOperation] = useState(params.get('operation') ?? '');
  const [minMs, setMinMs] = useState(params.get('min_duration_ms') ?? '');
  useEffect(() => setOperation(params.get('operation') ?? ''), [params]);
  const status = params.get('status') ?? '';
  const traces = useTraces(range, {
    service_id: serviceId,
    operation: params.get('operation') || undefined,
    min_duration_ms: params.get('min_duration_ms') || undefined,
    status: status || undefined,
  });
  const items = traces.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <div data-testid="traces-explorer">
      <form
        className="row filters"
        onSubmit={(e) => {
          e.preventDefault();
          update({ operation: operation.trim() || null, min_duration_ms: minMs.trim() || null });
        }}
      >
        <label className="field">
          <span>Operation</span>
          <input value={operation} onChange={(e) => setOperation(e.target.value)} placeholder="GET /api/orders" />
        </label>
        <label className="field">
          <span>Slower than (ms)</span>
          <input type="number" min={0} value={minMs} onChange={(e) => setMinMs(e.target.value)} />
        </label>
        <label className="field">
          <span>Status</span>
          <select value={status} onChange={(e) => update({ status: e.target.value || null })}>
            <option value="">Any</option>
            <option value="error">With errors</option>
            <option value="ok">Without errors</option>
          </select>
        </label>
        <button className="btn" type="submit">
          Apply
        </button>
        <TimeRangePicker range={range} onPreset={setPreset} onFixed={setFixed} onRefresh={refresh} />
      </form>
      {traces.isError ? (
        <ErrorState error={traces.error} retry={() => void traces.refetch()} />
      ) : traces.isPending ? (
        <Skeleton rows={6} />
      ) : items.length === 0 ? (
        <EmptyState title="No traces in this range">Send spans over OTLP (/v1/traces) with the service's key, or widen the range.</EmptyState>
      ) : (
        <>
          <table className="table" data-testid="traces-table">
            <thead>
              <tr>
                <th>Operation</th>
                {!serviceId && <th>Service</th>}
                <th>Started</th>
                <th>Duration</th>
                <th>Spans</th>
                <th>Status</th>
              </tr>
            </thead>
            <tbody>
              {items.map((t) => (
                <tr key={t.trace_id}>
                  <td>
                    <Link to={`/observability/traces/${t.trace_id}`}>{t.operation}</Link>
                  </td>
                  {!serviceId && <td>{t.service_name}</td>}
                  <td>{new Date(t.start).toLocaleTimeString()}</td>
                  <td>{formatMs(t.duration_ms)}</td>
                  <td>{t.span_count}</td>
                  <td>{t.error ? <Badge tone="bad">error</Badge> : <Badge tone="ok">ok</Badge>}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {traces.hasNextPage && (
            <div className="load-more">
              <button className="btn" disabled={traces.isFetchingNextPage} onClick={() => void traces.fetchNextPage()}>
                {traces.isFetchingNextPage ? 'Loading…' : 'Older traces'}
              </button>
            </div>
          )}
        </>
      )}
    </div>
  );
}
