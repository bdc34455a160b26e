import type { Knex } from 'knex';
import type { AgentHub } from '../agent-hub/index.js';
import type { StreamPublisher } from '../stream/index.js';
import type { DeploymentService } from './deployments.service.js';
import type { AgentGateway, EventSink } from './ports.js';

/**
 * Connects the deploy pipeline to the agent hub and the console stream: build/deploy/stop frames go out
 * through the hub (delivered by whichever api node holds the agent's socket), `build_log`, `build_result`,
 * `deploy_status` and `log_stream` frames come back to the deployment service, reconnecting agents get the deployments
 * they have not answered in `hello_ack`, and status/log events reach consoles.
 */
export function linkDeployments(deployments: DeploymentService, hub: AgentHub, publisher: StreamPublisher, db: Knex) {
  const gateway: AgentGateway = {
    // `online` is kept by the hub from the socket's life and heartbeats, on every api node.
    isConnected: async (serverId) => (await db('servers').select('status').where({ id: serverId }).first())?.status === 'online',
    send: async (serverId, frame) => {
      // Secrets are sealed in the command row: deploy env values, and the build's git section (its deploy key).
      await hub.send({ serverId, type: frame.type, name: null, payload: (requestId) => ({ ...frame.payload, request_id: requestId }), secretKeys: ['env', 'git'], createdBy: null, waitMs: 0, online: true });
    },
  };
  const sink: EventSink = { publish: (orgId, type, data) => publisher.publish([publisher.event(type, orgId, data)]) };
  deployments.useAgentGateway(gateway);
  deployments.useEventSink(sink);
  hub.onFrame('deploy_status', (session, frame) => deployments.onDeployStatus(session.serverId, frame.payload));
  hub.onFrame('log_stream', (session, frame) => deployments.onLogStream(session.serverId, frame.payload));
  hub.onFrame('build_log', (session, frame) => deployments.onBuildLog(session.serverId, frame.payload));
  hub.onFrame('build_result', (session, frame) => deployments.onBuildResult(session.serverId, frame.payload));
  hub.setPendingDeploymentsProvider((serverId) => deployments.pendingForServer(serverId));
  hub.setPendingBuildsProvider((serverId) => deployments.pendingBuildsForServer(serverId));
}
