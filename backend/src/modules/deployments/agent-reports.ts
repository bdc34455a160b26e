import { type DeployStatus, LOG_STREAMS } from '@syntra/shared';
import type { ServiceService } from '../services/index.js';
import type { NewLogLine } from './deployment-logs.js';
import type { DeploymentStates } from './deployment-states.js';
import type { LiveHook } from './deployments.service.js';

/** A `log_stream` frame: a service's runtime output, tagged with the deployment that runs it (if any). */
export interface RuntimeLogBatch {
  service_id: string;
  deployment_id: string | null;
  lines: ReadonlyArray<{ ts: string; stream: string; line: string }>;
}

/**
 * What agents report about deployments (through the hub): the outcome of a deploy, and runtime
 * output. Only the agent of the service's own server is heard; everything is compare-and-set.
 */
export class AgentReports {
  constructor(
    private readonly states: DeploymentStates,
    private readonly services: ServiceService,
    private readonly onLive: LiveHook | null = null,
  ) {}

  async onDeployStatus(serverId: string, report: DeployStatus) {
    const d = await this.states.repo.find(report.deployment_id);
    if (!d) return;
    const service = await this.services.contextById(d.service_id);
    if (!service || service.server_id !== serverId) return; // not this agent's deployment
    if (d.status === 'deploying' && (report.message || !['running', 'failed'].includes(report.status))) {
      await this.states.log(d, [{ stream: 'system', line: `agent: ${report.status}${report.message ? ` — ${report.message}` : ''}` }]);
    }
    if (report.status === 'running') {
      const previous = service.current_deployment_id;
      const updated = await this.states.transition(d, ['deploying'], 'running', { deploy_duration_ms: report.duration_ms, replaced_deployment_id: previous });
      if (!updated) return;
      await this.services.setCurrentDeployment(d.service_id, d.id);
      if (d.trigger_type === 'rollback' && previous && previous !== d.id) {
        const replaced = await this.states.repo.find(previous);
        if (replaced) await this.states.transition(replaced, ['running'], 'rolled_back');
      }
      // Verification is scheduled in the same report: an agent's report is handled once (compare-and-set above).
      if (this.onLive) await this.onLive(updated).catch(() => undefined);
    } else if (report.status === 'failed') {
      await this.states.transition(d, ['deploying'], 'failed', { error_message: report.message ?? 'The agent reported a failure', deploy_duration_ms: report.duration_ms });
    }
  }

  async onLogStream(serverId: string, batch: RuntimeLogBatch) {
    const service = await this.services.contextById(batch.service_id);
    if (!service || service.server_id !== serverId || !batch.lines.length) return;
    // The lines are stored from the agent's telemetry batches (durable across disconnects, in
    // ClickHouse); this live copy only feeds the deploy log of a deployment rolling out.
    if (!batch.deployment_id) return;
    const d = await this.states.repo.find(batch.deployment_id);
    // While a deployment is being rolled out (and just after: frames may be handled out of order),
    // its instance output is part of its deploy log.
    const rollingOut = d && (d.status === 'deploying' || (d.finished_at && Date.now() - new Date(d.finished_at).getTime() < 15_000));
    if (d && rollingOut) await this.states.log(d, batch.lines.map((l) => ({ ts: l.ts, stream: (LOG_STREAMS as readonly string[]).includes(l.stream) ? (l.stream as NewLogLine['stream']) : 'system', line: l.line })));
  }
}
