import { useState } from 'react';

const LABELS: Record<string, string> = {
  list_servers: 'Listed servers',
  get_server: 'Read a server',
  list_services: 'Listed projects and services',
  get_service: 'Read a service',
  get_service_env: 'Read environment variable names',
  list_deployments: 'Listed deployments',
  get_deployment: 'Read a deployment',
  service_logs: 'Read service logs',
  search_logs: 'Searched the logs',
  search_traces: 'Searched traces',
  get_trace: 'Read a trace',
  list_metrics: 'Listed metrics',
  query_metric: 'Read a metric',
  get_timeline: 'Read the incident timeline',
  list_issues: 'Listed error issues',
  get_issue: 'Read an issue and its latest event',
  propose_deploy: 'Proposed a deploy',
  propose_rollback: 'Proposed a rollback',
  propose_run_command: 'Proposed a command',
  propose_restart_service: 'Proposed a restart',
  propose_create_alert_rule: 'Proposed an alert rule',
};

/** One tool call: what the model asked for and exactly what it was given back ("what the AI saw"). */
export function ToolCallCard({ name, input, output, isError }: { name: string; input: unknown; output: string | null; isError: boolean }) {
  const [open, setOpen] = useState(false);
  return (
    <div className={`ai-tool ${isError ? 'ai-tool-error' : ''}`} data-testid="ai-tool-card" data-tool={name}>
      <button type="button" className="ai-tool-head" aria-expanded={open} onClick={() => setOpen(!open)}>
        <span aria-hidden>{open ? '▾' : '▸'}</span> {LABELS[name] ?? name}
        {output === null && <span className="muted small"> — running…</span>}
        {isError && <span className="badge badge-bad">refused</span>}
      </button>
      {open && (
        <div className="ai-tool-body">
          <div className="muted small">Asked for</div>
          <pre>{JSON.stringify(input ?? {}, null, 2)}</pre>
          <div className="muted small">What the AI saw</div>
          <pre data-testid="ai-tool-output">{pretty(output)}</pre>
        </div>
      )}
    </div>
  );
}

function pretty(output: string | null): string {
  if (output === null) return '…';
  try {
    return JSON.stringify(JSON.parse(output), null, 2);
  } catch {
    return output;
  }
}
