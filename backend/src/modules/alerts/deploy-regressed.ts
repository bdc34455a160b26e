import type { AlertEngine } from './alert-engine.js';
import type { AlertsRepo } from './alerts.repo.js';
import { ruleCovers } from './event-listener.js';
import type { AlertDataPorts } from './ports.js';

/**
 * The `deploy_regressed` kind (issue 14): post-deploy verification tells alerting directly when a
 * deployment fails it (in the worker that concluded the check), so it fires as the verdict is
 * written, like the other event kinds. One event per rule and deployment however often it is told.
 */
export class DeployRegressedAlerts {
  constructor(
    private readonly repo: AlertsRepo,
    private readonly engine: AlertEngine,
    private readonly ports: Pick<AlertDataPorts, 'serviceOf'>,
  ) {}

  async regressed(orgId: string, x: { deploymentId: string; serviceId: string; reasons: string[]; values: Record<string, unknown> }): Promise<void> {
    const service = await this.ports.serviceOf(x.serviceId);
    if (!service || service.org_id !== orgId) return;
    const where = { serviceId: x.serviceId, serverId: service.server_id, projectId: service.project_id };
    for (const rule of (await this.repo.enabledRulesOfKind(orgId, ['deploy_regressed'])).filter((r) => ruleCovers(r, where))) {
      await this.engine.observe(rule, {
        subjectKey: `deployment:${x.deploymentId}`,
        occurrenceKey: `regressed:${x.deploymentId}`,
        active: true,
        summary: `Deploy of ${service.name} regressed: ${x.reasons.join('; ')}`,
        values: x.values,
        ...where,
      });
    }
  }

  /** A later deploy of the service that passes its verification resolves the service's open regressions. */
  async passed(orgId: string, serviceId: string): Promise<void> {
    const service = await this.ports.serviceOf(serviceId);
    if (!service || service.org_id !== orgId) return;
    const where = { serviceId, serverId: service.server_id, projectId: service.project_id };
    for (const rule of (await this.repo.enabledRulesOfKind(orgId, ['deploy_regressed'])).filter((r) => ruleCovers(r, where))) {
      for (const open of await this.repo.openEventsOfRule(rule.id)) {
        if (open.service_id === serviceId) await this.engine.observe(rule, { subjectKey: open.subject_key, active: false, summary: '', values: {}, ...where });
      }
    }
  }
}
