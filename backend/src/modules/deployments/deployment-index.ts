import type { Knex } from 'knex';
import { ROLLBACK_TARGET_DEPLOYMENT_STATUSES } from '@syntra/shared';

/** A deployment that went live, and when: what the error module links events to. */
export interface LiveDeployment {
  id: string;
  serviceId: string;
  commitSha: string | null;
  /** When it started serving (it served until the next one of its service went live). */
  liveAt: Date;
}

/** What other modules show of a deployment next to their own data (the deploy that introduced an issue). */
export interface DeploymentSummary {
  id: string;
  commitSha: string | null;
  commitMessage: string | null;
  createdAt: Date;
}

/** About how many past deployments per service are considered when placing an event in time. */
const TIMELINE_DEPTH = 200;

/**
 * Read-only facts about deployments for other modules (the error tracker asks "what was running
 * this service at that time"), so they never read the deployments table themselves.
 */
export class DeploymentIndex {
  constructor(private readonly db: Knex) {}

  /**
   * The deployments of these services that went live up to `until`, newest first, about
   * TIMELINE_DEPTH each (together). A `running` deployment went live when it entered that status; one rolled
   * back since (replaced) went live `phases.running` milliseconds before it left it, as its
   * finished_at is overwritten when it is replaced.
   */
  async timelines(serviceIds: readonly string[], until: Date): Promise<LiveDeployment[]> {
    if (serviceIds.length === 0) return [];
    const rows = await this.db
      .select('id', 'service_id', 'git_commit_sha', 'live_at')
      .from(
        this.db('deployments')
          .select('id', 'service_id', 'git_commit_sha')
          .select(
            this.db.raw(
              `CASE WHEN status = 'running' THEN COALESCE(status_changed_at, finished_at, created_at)
                    ELSE COALESCE(status_changed_at, finished_at, created_at) - COALESCE((phases->>'running')::numeric, 0) * interval '1 millisecond'
               END AS live_at`,
            ),
          )
          .whereIn('service_id', serviceIds as string[])
          .whereIn('status', ROLLBACK_TARGET_DEPLOYMENT_STATUSES as string[] as ('running' | 'rolled_back')[])
          .as('d'),
      )
      .where('live_at', '<=', until)
      .orderBy('live_at', 'desc')
      .limit(TIMELINE_DEPTH * serviceIds.length) as Array<{ id: string; service_id: string; git_commit_sha: string | null; live_at: Date }>;
    return rows.map((r) => ({ id: r.id, serviceId: r.service_id, commitSha: r.git_commit_sha, liveAt: new Date(r.live_at) }));
  }

  async summaries(ids: readonly string[]): Promise<Map<string, DeploymentSummary>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db('deployments').whereIn('id', [...new Set(ids)]).select('id', 'git_commit_sha', 'git_commit_message', 'created_at');
    return new Map(rows.map((r) => [r.id, { id: r.id, commitSha: r.git_commit_sha, commitMessage: r.git_commit_message, createdAt: r.created_at }]));
  }
}
