import type { DeploymentStatus } from '@syntra/shared';
import type { ServiceService } from '../services/index.js';
import type { DeploymentLogs, NewLogLine } from './deployment-logs.js';
import type { DeploymentRow, DeploymentsRepo } from './deployments.repo.js';
import type { EventSink } from './ports.js';

/**
 * What every role of the deploy pipeline shares (API triggers, the worker's steps, builds, agent
 * reports): the deployments repo, compare-and-set status changes that tell consoles, and the log.
 * Internal to the module; the other modules see `DeploymentService`.
 */
export class DeploymentStates {
  constructor(
    readonly repo: DeploymentsRepo,
    readonly logs: DeploymentLogs,
    private readonly services: ServiceService,
    private readonly events: EventSink,
  ) {}

  /** Moves `d` to `to` only from one of `from` (a retried job or a late report never moves it backwards). */
  async transition(d: Pick<DeploymentRow, 'id' | 'service_id' | 'status'>, from: readonly DeploymentStatus[], to: DeploymentStatus, extra: Record<string, unknown> = {}) {
    const updated = await this.repo.transition(d.id, from, to, extra);
    if (updated) {
      const orgId = await this.services.orgIdOf(d.service_id);
      if (orgId) await this.publishStatus(orgId, updated, d.status);
    }
    return updated;
  }

  async log(d: Pick<DeploymentRow, 'id' | 'service_id'>, lines: readonly NewLogLine[]) {
    const orgId = await this.services.orgIdOf(d.service_id);
    if (orgId) await this.logs.append({ orgId, serviceId: d.service_id, deploymentId: d.id }, lines);
  }

  async publishStatus(orgId: string, d: DeploymentRow, previous: DeploymentStatus | null) {
    await this.events
      .publish(orgId, 'deployment.status', { deployment_id: d.id, service_id: d.service_id, status: d.status, previous_status: previous, error_message: d.error_message })
      .catch(() => undefined);
  }

  async publishVerification(orgId: string, d: DeploymentRow) {
    if (!d.verification) return;
    const v = d.verification;
    await this.events
      .publish(orgId, 'deployment.verification', { deployment_id: d.id, service_id: d.service_id, status: v.status, reasons: v.reasons, rollback_deployment_id: v.rollback?.deployment_id ?? null })
      .catch(() => undefined);
  }
}
