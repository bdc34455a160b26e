import type { ServiceRestart } from '@syntra/shared';
import { AgentOfflineError, ConflictError } from '../../errors.js';
import type { AuditService } from '../audit/index.js';
import type { Actor } from '../orgs/index.js';

/** What a restart reads and sends (given at construction: services.ts). */
export interface RestartPorts {
  /** The organisation's service (NotFoundError otherwise) with where it runs and what is live. */
  service(orgId: string, serviceId: string): Promise<{ id: string; name: string; server_id: string; current_deployment_id: string | null }>;
  deploymentStatus(deploymentId: string): Promise<{ service_id: string; status: string } | undefined>;
  /** Whether the server's agent is connected (a restart queued for whenever it comes back would surprise). */
  isOnline(serverId: string): Promise<boolean>;
  /** An agent command, recorded and delivered like `POST /servers/:id/commands` (ServerService#command). */
  command(orgId: string, serverId: string, actor: Actor, input: { name: string; args: Record<string, unknown>; wait_ms: number }): Promise<{ id: string; status: string }>;
}

/**
 * Restarting a service: its live deployment's instances are started afresh by the agents of the
 * servers it runs on (`service.restart`), with no build and no new deployment. The console's
 * button and an approved co-pilot proposal both come here. 409 when nothing runs, 503 AGENT_OFFLINE
 * when a server's agent is not connected.
 */
export class ServiceRestarter {
  constructor(
    private readonly ports: RestartPorts,
    private readonly audit: AuditService,
  ) {}

  async restart(orgId: string, serviceId: string, actor: Actor): Promise<ServiceRestart> {
    const service = await this.ports.service(orgId, serviceId);
    const live = service.current_deployment_id ? await this.ports.deploymentStatus(service.current_deployment_id) : undefined;
    // Only a deployment the agent reported running has instances to restart; anything else would be a deploy.
    if (!live || live.service_id !== serviceId || live.status !== 'running') {
      throw new ConflictError(`${service.name} is not running anywhere: deploy it first`);
    }
    const deploymentId = service.current_deployment_id!;
    // A service runs on one server today; the answer is a list so placement across servers fits.
    const servers = [service.server_id];
    for (const serverId of servers) if (!(await this.ports.isOnline(serverId))) throw new AgentOfflineError();
    const commands = await Promise.all(
      servers.map(async (serverId) => {
        const c = await this.ports.command(orgId, serverId, actor, { name: 'service.restart', args: { service_id: serviceId, deployment_id: deploymentId }, wait_ms: 0 });
        return { server_id: serverId, command_id: c.id, status: c.status };
      }),
    );
    await this.audit.record({
      orgId,
      actorId: actor.userId,
      action: 'service.restart',
      targetType: 'service',
      targetId: serviceId,
      ip: actor.ip,
      userAgent: actor.userAgent,
      metadata: { deployment_id: deploymentId, command_ids: commands.map((c) => c.command_id) },
    });
    return { service_id: serviceId, deployment_id: deploymentId, commands };
  }
}
