import type { HealthCheckResult, Service } from '@syntra/shared';
import { useState } from 'react';
import { Link } from 'react-router';
import { Badge, EmptyState, ErrorState, Skeleton, timeAgo } from '../../components/ui.js';
import { useCan } from '../../lib/can.js';
import { useHealthChecks } from '../../lib/health.js';

function probeDescription(service: Service): string {
  const hc = service.health_check;
  const target = hc.path ? `GET ${hc.path}` : 'a TCP connect';
  return `${target} every ${hc.interval_seconds} s (timeout ${hc.timeout_seconds} s, ${hc.retries} ${hc.retries === 1 ? 'retry' : 'retries'} at deploy)`;
}

function CheckRow({ check }: { check: HealthCheckResult }) {
  return (
    <tr data-testid="health-row">
      <td className="muted small" title={check.checked_at}>
        {new Date(check.checked_at).toLocaleString()} · {timeAgo(check.checked_at)}
      </td>
      <td>{check.healthy ? <Badge tone="ok">healthy</Badge> : <Badge tone="bad">unhealthy</Badge>}</td>
      <td>{check.status_code ?? '—'}</td>
      <td className="muted">{check.response_time_ms} ms</td>
      <td className="muted small health-error">{check.error ?? ''}</td>
    </tr>
  );
}

function NoChecks({ service, onlyFailures }: { service: Service; onlyFailures: boolean }) {
  if (onlyFailures) return <EmptyState title="No failed checks">No probe has failed in the last 14 days (results are kept that long).</EmptyState>;
  if (!service.current_deployment_id)
    return <EmptyState title="No health checks yet">Checks are recorded from the first deployment: its health gate, then periodic probes while it runs.</EmptyState>;
  return (
    <EmptyState title="No probe results yet">
      They arrive with the agent’s telemetry a few seconds after each probe, and this list refreshes on its own. If it stays empty, check that the server’s agent is
      connected.
    </EmptyState>
  );
}

/** Recent probes of the service (deploy gates and periodic checks), newest first, with an "only failures" filter. */
export function HealthChecks({ service }: { service: Service }) {
  const [onlyFailures, setOnlyFailures] = useState(false);
  const canWrite = useCan('services.write');
  const checks = useHealthChecks(service.id, onlyFailures);
  const rows = checks.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <div data-testid="health-checks">
      <div className="health-summary">
        <p className="muted small">
          Probing {probeDescription(service)}. {canWrite && <Link to="?tab=settings">Change the check</Link>}
        </p>
        <label className="check">
          <input type="checkbox" checked={onlyFailures} onChange={(e) => setOnlyFailures(e.target.checked)} /> Only failures
        </label>
      </div>
      {checks.isPending && <Skeleton rows={4} />}
      {checks.isError && !checks.isFetchNextPageError && <ErrorState error={checks.error} retry={() => void checks.refetch()} />}
      {checks.data && rows.length === 0 && <NoChecks service={service} onlyFailures={onlyFailures} />}
      {rows.length > 0 && (
        <table className="table" data-testid="health-table">
          <thead>
            <tr>
              <th>Checked</th>
              <th>Result</th>
              <th>Status</th>
              <th>Response</th>
              <th>Error</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((c) => (
              <CheckRow key={c.id} check={c} />
            ))}
          </tbody>
        </table>
      )}
      {checks.hasNextPage && (
        <div className="load-more">
          <button className="btn" disabled={checks.isFetchingNextPage} onClick={() => void checks.fetchNextPage()}>
            {checks.isFetchingNextPage ? 'Loading…' : 'Load older checks'}
          </button>
        </div>
      )}
      {checks.isFetchNextPageError && <ErrorState error={checks.error} retry={() => void checks.fetchNextPage()} />}
    </div>
  );
}
