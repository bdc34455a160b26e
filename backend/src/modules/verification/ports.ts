import type { DeploymentVerification, VerifySettings } from '@syntra/shared';
import type { DeploymentRow, RollbackOptions } from '../deployments/index.js';

/** What verification reads and does through other modules, given at construction (services.ts). */
export interface VerificationPorts {
  deployments: {
    findById(id: string): Promise<DeploymentRow | undefined>;
    setVerification(id: string, expected: ReadonlyArray<DeploymentVerification['status'] | null>, next: DeploymentVerification): Promise<DeploymentRow | null>;
    rollback(orgId: string, serviceId: string, actor: null, targetId: string, opts: RollbackOptions): Promise<{ id: string }>;
    overdueVerifications(endedBefore: Date): Promise<string[]>;
    /** A rollback to `targetId` created since `since` (one made by a check that died before recording it). */
    rollbackSince(serviceId: string, targetId: string, since: Date): Promise<{ id: string } | undefined>;
  };
  /** A service's organisation, name, current deployment and `verify` setting (any organisation's). */
  service(serviceId: string): Promise<{ org_id: string; name: string; current_deployment_id: string | null; verify: VerifySettings | null } | undefined>;
  /** Error events of the service in [from, to) (the errors module's store). */
  errorEvents(orgId: string, serviceId: string, from: Date, to: Date): Promise<number>;
  /** p95 latency and request count of the service's entry spans (telemetry's query service); null without spans. */
  spanStats(orgId: string, serviceId: string, from: Date, to: Date): Promise<{ p95Ms: number; requests: number } | null>;
  /** Issues first seen while this deployment was running (the errors module's link). */
  newIssues(orgId: string, deploymentId: string): Promise<string[]>;
  /** The `deploy_regressed` alert kind: fired on a failure, resolved when a later deploy of the service passes. */
  alerts: {
    regressed(orgId: string, x: { deploymentId: string; serviceId: string; reasons: string[]; values: Record<string, unknown> }): Promise<void>;
    passed(orgId: string, serviceId: string): Promise<void>;
  };
}
