import type { Redis } from 'ioredis';
import type { Logger } from '../../logger.js';
import type { AlertDataPorts, DeployRegressedAlerts } from '../alerts/index.js';
import type { DeploymentService } from '../deployments/index.js';
import type { ErrorModule } from '../errors/index.js';
import type { ServiceService } from '../services/index.js';
import { VerifyQueue } from './verification.jobs.js';
import { VerificationService } from './verification.service.js';

/** The modules verification measures through, rolls back through and tells (built before it in services.ts). */
export interface VerificationDeps {
  redis: Redis;
  log: Logger;
  checkSeconds: number;
  deployments: DeploymentService;
  services: ServiceService;
  errors: ErrorModule;
  spanStats: AlertDataPorts['telemetry']['spanStats'];
  deployRegressed: DeployRegressedAlerts;
}

/** Post-deploy verification (issue 14): errors and telemetry measure, alerting tells, deployments roll back. */
export function buildVerification(d: VerificationDeps): VerificationService {
  const { deployments, services, errors, deployRegressed } = d;
  return new VerificationService(
    {
      deployments: {
        findById: (id) => deployments.findById(id),
        setVerification: (id, expected, next) => deployments.setVerification(id, expected, next),
        rollback: (orgId, serviceId, actor, targetId, opts) => deployments.rollback(orgId, serviceId, actor, targetId, opts),
        overdueVerifications: (endedBefore) => deployments.overdueVerifications(endedBefore),
        rollbackSince: (serviceId, targetId, since) => deployments.rollbackSince(serviceId, targetId, since),
      },
      service: async (id) => {
        const s = await services.contextById(id);
        return s ? { org_id: s.org_id, name: s.name, current_deployment_id: s.current_deployment_id, verify: s.verify } : undefined;
      },
      errorEvents: (orgId, serviceId, from, to) => errors.events.countBetween(orgId, { serviceId }, from, to),
      spanStats: (orgId, serviceId, from, to) => d.spanStats(orgId, serviceId, from.getTime(), to.getTime()),
      newIssues: async (orgId, deploymentId) => (await errors.issues.forDeployment(orgId, deploymentId, { limit: 50 })).items.map((i) => i.id),
      alerts: { regressed: (orgId, x) => deployRegressed.regressed(orgId, x), passed: (orgId, serviceId) => deployRegressed.passed(orgId, serviceId) },
    },
    new VerifyQueue(d.redis),
    d.log.child({ module: 'verification' }),
    { checkSeconds: d.checkSeconds },
  );
}
