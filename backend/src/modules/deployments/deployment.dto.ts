import { iso } from '../../lib/iso.js';
import type { DeploymentRow } from './deployments.repo.js';

export function toDeploymentDto(d: DeploymentRow) {
  return {
    id: d.id,
    service_id: d.service_id,
    status: d.status,
    trigger_type: d.trigger_type,
    triggered_by: d.triggered_by,
    git_ref: d.git_ref,
    git_branch: d.git_branch,
    git_commit_sha: d.git_commit_sha,
    git_commit_message: d.git_commit_message,
    image_digest: d.image_digest,
    artifact_id: d.artifact_id,
    rollback_from_id: d.rollback_from_id,
    error_message: d.error_message,
    build_duration_ms: d.build_duration_ms,
    deploy_duration_ms: d.deploy_duration_ms,
    phases: d.phases ?? {},
    created_at: iso(d.created_at),
    started_at: iso(d.started_at),
    finished_at: iso(d.finished_at),
    verification: d.verification ?? null,
  };
}
