import type { LogRecord } from '@syntra/shared';
import { useState } from 'react';
import { Link } from 'react-router';
import { ErrorState, Skeleton } from '../../components/ui.js';
import { useLogContext } from './queries.js';

function Attributes({ title, values }: { title: string; values: Record<string, string> }) {
  const entries = Object.entries(values);
  if (entries.length === 0) return null;
  return (
    <>
      <h4>{title}</h4>
      <dl className="facts attr-list">
        {entries.map(([k, v]) => (
          <div key={k} className="attr">
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
    </>
  );
}

/** One line: its body, attributes, links to its trace and deployment, and the lines around it. */
export function LogDetail({ line, serviceId, onClose }: { line: LogRecord; serviceId?: string | undefined; onClose: () => void }) {
  const [showContext, setShowContext] = useState(false);
  const context = useLogContext(showContext ? line.id : null, serviceId);
  return (
    <section className="card log-detail" data-testid="log-detail" aria-label="Log line">
      <div className="card-head">
        <strong>
          {line.severity.toUpperCase()} · {new Date(line.timestamp).toLocaleString()} · {line.service_name}
        </strong>
        <div className="row">
          {line.trace_id && (
            <Link className="btn btn-small" to={`/observability/traces/${line.trace_id}`}>
              View trace
            </Link>
          )}
          {line.deployment_id && (
            <Link className="btn btn-small" to={`/deployments/${line.deployment_id}`}>
              Deployment
            </Link>
          )}
          <button className="btn btn-small" onClick={() => setShowContext(!showContext)} aria-pressed={showContext}>
            {showContext ? 'Hide context' : 'Show context'}
          </button>
          <button className="btn btn-ghost btn-small" aria-label="Close" onClick={onClose}>
            ✕
          </button>
        </div>
      </div>
      <pre className="log-body">{line.body}</pre>
      <Attributes title="Attributes" values={line.attributes} />
      <Attributes title="Resource" values={line.resource_attributes} />
      {showContext && (
        <div className="log-context" data-testid="log-context">
          {context.isPending ? (
            <Skeleton rows={4} />
          ) : context.isError ? (
            <ErrorState error={context.error} retry={() => void context.refetch()} />
          ) : (
            <pre className="logs-context-body">
              {context.data.before.map((l) => `${l.timestamp.slice(11, 23)} ${l.body}\n`).join('')}
              <mark>{`${line.timestamp.slice(11, 23)} ${line.body}`}</mark>
              {'\n'}
              {context.data.after.map((l) => `${l.timestamp.slice(11, 23)} ${l.body}\n`).join('')}
            </pre>
          )}
        </div>
      )}
    </section>
  );
}
