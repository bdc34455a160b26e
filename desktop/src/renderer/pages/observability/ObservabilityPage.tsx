import { useNavigate, useParams } from 'react-router';
import { PageHeader } from '../../components/ui.js';
import { LogExplorer } from '../../features/telemetry/LogExplorer.js';
import { MetricsExplorer } from '../../features/telemetry/MetricsExplorer.js';
import { TracesExplorer } from '../../features/telemetry/TracesExplorer.js';

const TABS = [
  { id: 'logs', label: 'Logs' },
  { id: 'traces', label: 'Traces' },
  { id: 'metrics', label: 'Metrics' },
] as const;

/** Organisation-wide logs, traces and metrics (every service; each service page has the same, narrowed). */
export default function ObservabilityPage() {
  const { tab: raw } = useParams();
  const tab = TABS.find((t) => t.id === raw)?.id ?? 'logs';
  const navigate = useNavigate();
  return (
    <>
      <PageHeader title="Observability" subtitle="Logs, traces and metrics of every service" />
      <div className="tabs" role="tablist">
        {TABS.map((t) => (
          <button key={t.id} role="tab" aria-selected={tab === t.id} className={tab === t.id ? 'active' : ''} onClick={() => navigate(`/observability/${t.id}`)}>
            {t.label}
          </button>
        ))}
      </div>
      <section className="card">
        {tab === 'logs' && <LogExplorer />}
        {tab === 'traces' && <TracesExplorer />}
        {tab === 'metrics' && <MetricsExplorer />}
      </section>
    </>
  );
}
