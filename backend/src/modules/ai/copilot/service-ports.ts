import type { DeploymentService } from '../../deployments/index.js';
import type { ProjectService } from '../../projects/index.js';
import type { ServerService } from '../../servers/index.js';
import type { EnvService, ServiceService } from '../../services/index.js';
import type { CopilotPorts } from './ports.js';

interface Services {
  servers: ServerService;
  projects: ProjectService;
  services: ServiceService;
  env: EnvService;
  deployments: DeploymentService;
}

/** The co-pilot's ports over the real services: each is what the matching console route calls. */
export function copilotPorts(s: Services): CopilotPorts {
  return {
    listServers: (orgId) => s.servers.list(orgId, { limit: 50 }),
    getServer: (orgId, id) => s.servers.get(orgId, id),
    listProjects: (orgId) => s.projects.list(orgId),
    listServices: (orgId, projectId) => s.services.list(orgId, projectId),
    getService: (orgId, id) => s.services.get(orgId, id),
    viewEnv: async (orgId, serviceId, can) => {
      // As GET /services/:id/env: the service must be the organisation's before its env is read.
      await s.services.context(orgId, serviceId);
      return s.env.view(serviceId, can);
    },
    listDeployments: (orgId, q) =>
      q.service_id
        ? s.deployments.list(orgId, q.service_id, { limit: q.limit })
        : s.deployments.listForOrg(orgId, { limit: q.limit, latest: false, ...(q.status ? { status: q.status as never } : {}) }),
    getDeployment: (orgId, id) => s.deployments.get(orgId, id, { tail: 100, limit: 100 }),
    serviceLogs: (orgId, serviceId, tail) => s.deployments.runtimeLogs(orgId, serviceId, { tail }),
    deploy: (orgId, serviceId, actor, input) => s.deployments.trigger(orgId, serviceId, actor, input, 'manual'),
    rollback: (orgId, serviceId, actor, deploymentId) => s.deployments.rollback(orgId, serviceId, actor, deploymentId),
    runCommand: (orgId, serverId, actor, input) => s.servers.command(orgId, serverId, actor, { ...input, wait_ms: 0 }),
  };
}
