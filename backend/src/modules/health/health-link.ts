import type { TelemetryItem } from '@syntra/shared';
import type { AgentHubPorts } from '../agent-hub/index.js';
import type { StreamPublisher } from '../stream/index.js';
import { HealthService } from './health.service.js';

/** The health module's side of the agent hub: stores `health_check` telemetry items and tells consoles (`service.health`). */
export function healthHubPorts(health: HealthService, publisher: StreamPublisher): Partial<AgentHubPorts> {
  return {
    telemetry: {
      health_check: async (serverId, orgId, items, trx) => {
        const stored = await health.record(serverId, items.filter((i): i is Extract<TelemetryItem, { kind: 'health_check' }> => i.kind === 'health_check'), trx);
        const events = HealthService.latestPerService(stored).map((data) => publisher.event('service.health', orgId, data));
        // Live news only: the results are stored, so a lost event costs a console nothing but a refresh.
        await publisher.publish(events).catch(() => undefined);
      },
    },
  };
}
