import type { Knex } from 'knex';
import { isStorableTimestamp } from '@syntra/shared';
import { type AgentHub, isUuid } from '../agent-hub/index.js';
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
  // Ids an agent names are looked up as uuids: anything else names nothing of ours (and would be a
  // database error); log lines at a time PostgreSQL cannot store are dropped, not the whole batch.
  hub.onFrame('deploy_status', async (session, frame) => {
    if (isUuid(frame.payload.deployment_id)) await deployments.onDeployStatus(session.serverId, frame.payload);
  });
  hub.onFrame('log_stream', async (session, frame) => {
    const { service_id, deployment_id, lines } = frame.payload;
    if (!isUuid(service_id) || (deployment_id !== null && !isUuid(deployment_id))) return;
    await deployments.onLogStream(session.serverId, { service_id, deployment_id, lines: lines.filter((l) => isStorableTimestamp(l.ts)) });
  });
  hub.onFrame('build_log', async (session, frame) => {
    if (isUuid(frame.payload.deployment_id)) await deployments.onBuildLog(session.serverId, frame.payload);
  });
  hub.onFrame('build_result', async (session, frame) => {
    if (isUuid(frame.payload.deployment_id)) await deployments.onBuildResult(session.serverId, frame.payload);
  });
  hub.setPendingDeploymentsProvider((serverId) => deployments.pendingForServer(serverId));
  hub.setPendingBuildsProvider((serverId) => deployments.pendingBuildsForServer(serverId));
}
