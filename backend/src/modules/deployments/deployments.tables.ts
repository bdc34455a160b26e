import type { DeploymentStatus, DeploymentVerification, LogLineStream } from '@syntra/shared';
import type { Table } from '../../db/table.js';

/** The deployments module's table: one row per deploy, its status, phases and build facts. */
export interface DeploymentRow {
  id: string;
  service_id: string;
  status: DeploymentStatus;
  git_ref: string | null;
  git_branch: string | null;
  git_commit_sha: string | null;
  git_commit_message: string | null;
  image_digest: string | null;
  image_tag: string | null;
  artifact_id: string | null;
  env_snapshot_encrypted: string | null;
  env_keys: string[] | null;
  triggered_by: string | null;
  trigger_type: string;
  error_message: string | null;
  rollback_from_id: string | null;
  replaced_deployment_id: string | null;
  build_duration_ms: number | null;
  deploy_duration_ms: number | null;
  /** Unused since logs moved to deployment_logs; kept by the seed schema. */
  build_logs: string | null;
  phases: Record<string, number>;
  log_lines: number;
  log_bytes: string | number;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  status_changed_at: Date | null;
  /** The server the deployment was sent to (artifact downloads are scoped to it). */
  server_id: string | null;
  build_base_sha: string | null;
  build_commits: Array<{ sha: string; message: string }> | null;
  build_commits_complete: boolean | null;
  /** Post-deploy verification (issue 14); null when the service's setting was off. */
  verification: DeploymentVerification | null;
}

/** One line of a deployment's build/deploy log; `seq` orders them and pages by. */
export interface DeploymentLogRow {
  id: number;
  deployment_id: string;
  seq: number;
  ts: Date;
  stream: LogLineStream;
  line: string;
}

declare module 'knex/types/tables.js' {
  interface Tables {
    deployment_logs: Table<DeploymentLogRow, 'deployment_id' | 'seq' | 'ts' | 'stream' | 'line'>;
    deployments: Table<DeploymentRow, never, 'phases' | 'build_commits' | 'verification'>;
  }
}
