import type { TelemetryItem } from '@syntra/shared';
import type { AgentHubPorts } from '../../agent-hub/index.js';
import type { AgentLogIntake } from './agent-logs.js';

/** The telemetry store's side of the agent hub: `log` items of agents' telemetry batches go to `otel_logs`. */
export function agentLogHubPorts(intake: AgentLogIntake): Partial<AgentHubPorts> {
  return {
    telemetry: {
      log: (serverId, orgId, items, _trx, batch) => intake.store(serverId, orgId, items.filter((i): i is Extract<TelemetryItem, { kind: 'log' }> => i.kind === 'log'), batch),
    },
  };
}
