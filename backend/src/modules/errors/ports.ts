import type { DeploymentSummary, LiveDeployment } from '../deployments/index.js';

/** What the error module asks of the deployments module (its DeploymentIndex). */
export interface DeploymentLookup {
  timelines(serviceIds: readonly string[], until: Date): Promise<LiveDeployment[]>;
  summaries(ids: readonly string[]): Promise<Map<string, DeploymentSummary>>;
}

/** Whether a user may be assigned issues of an organisation (a member of it). */
export interface MemberCheck {
  isMember(orgId: string, userId: string): Promise<boolean>;
}
