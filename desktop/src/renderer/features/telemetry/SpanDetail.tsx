import type { Span } from '@syntra/shared';
import { useMemo } from 'react';
import { Link } from 'react-router';
import { ErrorState, Skeleton } from '../../components/ui.js';
import { useLogs } from './queries.js';
import { formatMs } from './waterfall.js';

function Attrs({ values }: { values: Record<string, string> }) {
  const entries = Object.entries(values);
  if (entries.length === 0) return <p className="muted small">None.</p>;
  return (
    <dl className="facts attr-list">
      {entries.map(([k, v]) => (
        <div key={k} className="attr">
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}

/** One span: attributes, events, links, and the logs written under it (by trace and span id). */
export function SpanDetail({ span }: { span: Span }) {
  // The span's logs: within a minute of it, of its trace, then narrowed to its span id here.
  const range = useMemo(() => {
    const start = Date.parse(span.start);
    return { from: start - 60_000, to: start + span.duration + 60_000, preset: null };
  }, [span.start, span.duration]);
  const logs = useLogs(range, { trace_id: span.trace_id });
  const lines = (logs.data?.pages ?? []).flatMap((p) => p.items).filter((l) => l.span_id === span.span_id || !l.span_id);
  return (
    <section className="card span-detail" data-testid="span-detail" aria-label="Span">
      <div className="card-head">
        <strong>
          {span.name} · {formatMs(span.duration)} · {span.kind || 'span'}
        </strong>
        <span className={span.status.code === 'Error' ? 'badge badge-bad' : 'badge'}>
          {span.status.code || 'Unset'}
          {span.status.message ? `: ${span.status.message}` : ''}
        </span>
      </div>
      <p className="muted small">
        {span.service_name} · span {span.span_id}
        {span.parent_span_id ? ` · parent ${span.parent_span_id}` : ' · root'}
      </p>
      <h4>Attributes</h4>
      <Attrs values={span.attributes} />
      <h4>Events</h4>
      {span.events.length === 0 ? (
        <p className="muted small">None.</p>
      ) : (
        <ul className="list">
          {span.events.map((e, i) => (
            <li key={i}>
              <span className="muted small">{e.timestamp.slice(11, 23)}</span> {e.name}
              {Object.keys(e.attributes).length > 0 && <code className="small">{JSON.stringify(e.attributes)}</code>}
            </li>
          ))}
        </ul>
      )}
      <h4>Links</h4>
      {span.links.length === 0 ? (
        <p className="muted small">None.</p>
      ) : (
        <ul className="list">
          {span.links.map((l) => (
            <li key={`${l.trace_id}-${l.span_id}`}>
              <Link to={`/observability/traces/${l.trace_id}`}>
                trace {l.trace_id.slice(0, 8)}… span {l.span_id}
              </Link>
            </li>
          ))}
        </ul>
      )}
      <h4>Logs of this span</h4>
      {logs.isPending ? (
        <Skeleton rows={2} />
      ) : logs.isError ? (
        <ErrorState error={logs.error} />
      ) : lines.length === 0 ? (
        <p className="muted small">No log lines carry this trace.</p>
      ) : (
        <pre className="logs-context-body" data-testid="span-logs">
          {lines
            .slice()
            .reverse()
            .map((l) => `${l.timestamp.slice(11, 23)} ${l.severity.toUpperCase()} ${l.body}\n`)
            .join('')}
        </pre>
      )}
      <Link className="btn btn-small" to={`/observability/logs?trace_id=${span.trace_id}&from=${range.from}&to=${range.to}`}>
        All logs of this trace
      </Link>
    </section>
  );
}
