import type { TelemetryItem } from '@syntra/shared';
import type { AgentHub } from '../agent-hub/index.js';
import type { HealthService } from './health.service.js';

/** Stores the `health_check` items of agents' telemetry batches. */
export function linkHealth(health: HealthService, hub: AgentHub) {
  hub.addTelemetrySink('health_check', async (serverId, _orgId, items) => {
    await health.record(serverId, items.filter((i): i is Extract<TelemetryItem, { kind: 'health_check' }> => i.kind === 'health_check'));
  });
}
