import { isStorableTimestamp } from '@syntra/shared';
import { type AgentHub, type AgentHubPorts, isUuid } from '../agent-hub/index.js';
import type { ServerService } from '../servers/index.js';
import type { StreamPublisher } from '../stream/index.js';
import type { DeploymentService } from './deployments.service.js';
import type { AgentGateway, EventSink } from './ports.js';

/**
 * Build/deploy/stop frames go out through the hub (delivered by whichever api node holds the agent's
 * socket); whether an agent is connected is the server's status, which the hub keeps on every node.
 */
export function hubGateway(hub: AgentHub, servers: ServerService): AgentGateway {
  return {
    isConnected: (serverId) => servers.isOnline(serverId),
    send: async (serverId, frame) => {
      // Secrets are sealed in the command row: deploy env values, and the build's git section (its deploy key).
      await hub.send({ serverId, type: frame.type, name: null, payload: (requestId) => ({ ...frame.payload, request_id: requestId }), secretKeys: ['env', 'git'], createdBy: null, waitMs: 0, online: true });
    },
  };
}

/** Status and log events reach consoles through the stream module. */
export function streamSink(publisher: StreamPublisher): EventSink {
  return { publish: (orgId, type, data) => publisher.publish([publisher.event(type, orgId, data)]) };
}

/**
 * The deploy pipeline's side of the hub: `build_log`, `build_result`, `deploy_status` and `log_stream`
 * frames come back to the deployment service, and reconnecting agents get the deployments and builds
 * they have not answered in `hello_ack`.
 */
export function deploymentHubPorts(deployments: DeploymentService): Partial<AgentHubPorts> {
  // Ids an agent names are looked up as uuids: anything else names nothing of ours (and would be a
  // database error); log lines at a time PostgreSQL cannot store are dropped, not the whole batch.
  return {
    frames: {
      deploy_status: async (session, frame) => {
        if (isUuid(frame.payload.deployment_id)) await deployments.onDeployStatus(session.serverId, frame.payload);
      },
      log_stream: async (session, frame) => {
        const { service_id, deployment_id, lines } = frame.payload;
        if (!isUuid(service_id) || (deployment_id !== null && !isUuid(deployment_id))) return;
        await deployments.onLogStream(session.serverId, { service_id, deployment_id, lines: lines.filter((l) => isStorableTimestamp(l.ts)) });
      },
      build_log: async (session, frame) => {
        if (isUuid(frame.payload.deployment_id)) await deployments.onBuildLog(session.serverId, frame.payload);
      },
      build_result: async (session, frame) => {
        if (isUuid(frame.payload.deployment_id)) await deployments.onBuildResult(session.serverId, frame.payload);
      },
    },
    pendingDeployments: (serverId) => deployments.pendingForServer(serverId),
    pendingBuilds: (serverId) => deployments.pendingBuildsForServer(serverId),
  };
}
