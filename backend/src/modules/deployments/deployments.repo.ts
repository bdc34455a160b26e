import type { Knex } from 'knex';
import { type DeploymentStatus, type DeploymentVerification, ROLLBACK_TARGET_DEPLOYMENT_STATUSES, TERMINAL_DEPLOYMENT_STATUSES } from '@syntra/shared';
import type { DeploymentRow } from './deployments.tables.js';

export type { DeploymentRow };

export class DeploymentsRepo {
  constructor(private readonly db: Knex) {}

  async find(id: string): Promise<DeploymentRow | undefined> {
    return this.db('deployments').where({ id }).first();
  }

  async insert(row: Partial<DeploymentRow>): Promise<DeploymentRow> {
    const [created] = await this.db('deployments')
      .insert({ ...row, status: 'queued', status_changed_at: new Date() })
      .returning('*');
    return created!;
  }

  /**
   * Moves a deployment to `to` only if it is currently in one of `from` (compare-and-set), adding
   * the time spent in the previous status to `phases`. Returns the updated row, or null when the
   * deployment had moved on (cancelled, already finished): callers then stop what they were doing.
   */
  async transition(id: string, from: readonly DeploymentStatus[], to: DeploymentStatus, extra: Record<string, unknown> = {}): Promise<DeploymentRow | null> {
    const now = new Date();
    const terminal = TERMINAL_DEPLOYMENT_STATUSES.includes(to);
    const rows = await this.db('deployments')
      .where({ id })
      .whereIn('status', from as DeploymentStatus[])
      .update({
        ...extra,
        status: to,
        status_changed_at: now,
        phases: this.db.raw(
          `phases || jsonb_build_object(status::text, COALESCE((phases->>(status::text))::numeric, 0) + GREATEST(0, EXTRACT(EPOCH FROM (?::timestamptz - COALESCE(status_changed_at, created_at))) * 1000)::int)`,
          [now],
        ),
        started_at: this.db.raw('COALESCE(started_at, ?)', [to === 'building' || to === 'deploying' ? now : null]),
        finished_at: terminal ? now : this.db.raw('finished_at'),
      })
      .returning('*');
    return rows[0] ?? null;
  }

  async update(id: string, patch: Record<string, unknown>) {
    await this.db('deployments').where({ id }).update(patch);
  }

  /**
   * Deploy markers (issue 13): the organisation's (or one service's) deployments that went live or
   * failed inside [from, to), by the time they finished (or were created, while still running).
   */
  async markersInRange(orgId: string, serviceId: string | null, from: Date, to: Date, limit: number) {
    const q = this.db('deployments')
      .join('services', 'services.id', 'deployments.service_id')
      .join('projects', 'projects.id', 'services.project_id')
      .where('projects.org_id', orgId)
      .whereRaw('COALESCE(deployments.finished_at, deployments.created_at) >= ? AND COALESCE(deployments.finished_at, deployments.created_at) < ?', [from, to]);
    if (serviceId) void q.where('deployments.service_id', serviceId);
    return q
      .select('deployments.id', 'deployments.service_id', 'deployments.status', 'deployments.git_commit_sha', this.db.raw('COALESCE(deployments.finished_at, deployments.created_at) AS at'))
      // Two deployments finishing in the same millisecond: the one created later is the newer outcome.
      .orderBy([{ column: 'at', order: 'asc' }, { column: 'deployments.created_at', order: 'asc' }, { column: 'deployments.id', order: 'asc' }])
      .limit(limit) as Promise<Array<Pick<DeploymentRow, 'id' | 'service_id' | 'status' | 'git_commit_sha'> & { at: Date }>>;
  }

  async listByService(serviceId: string, limit: number, cursor?: { at: string; id: string }): Promise<DeploymentRow[]> {
    const q = this.db('deployments').where({ service_id: serviceId });
    if (cursor) void q.whereRaw('(created_at, id) < (?, ?)', [cursor.at, cursor.id]);
    return q.orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id', order: 'desc' }]).limit(limit + 1);
  }

  /**
   * The organisation's deployments, newest first, with their service and project names. `latest`:
   * only each service's newest one (filters then apply to that one, so status=failed finds services
   * whose last deploy failed).
   */
  async listByOrg(orgId: string, limit: number, filter: { cursor?: { at: string; id: string } | undefined; status?: string | undefined; serverId?: string | undefined; projectId?: string | undefined; latest?: boolean }) {
    const scoped = this.db('deployments')
      .join('services', 'services.id', 'deployments.service_id')
      .join('projects', 'projects.id', 'services.project_id')
      .where('projects.org_id', orgId)
      .select('deployments.*', 'services.name as service_name', 'services.server_id', 'projects.id as project_id', 'projects.name as project_name')
      .select(this.db.raw('services.current_deployment_id IS NOT DISTINCT FROM deployments.id AS is_current'));
    if (filter.serverId) void scoped.where('services.server_id', filter.serverId);
    if (filter.projectId) void scoped.where('projects.id', filter.projectId);
    if (filter.latest) void scoped.distinctOn('deployments.service_id').orderBy([{ column: 'deployments.service_id' }, { column: 'deployments.created_at', order: 'desc' }, { column: 'deployments.id', order: 'desc' }]);
    const q = this.db.from(scoped.as('d')).select('*');
    if (filter.status) void q.where('d.status', filter.status);
    if (filter.cursor) void q.whereRaw('(d.created_at, d.id) < (?, ?)', [filter.cursor.at, filter.cursor.id]);
    return (await q.orderBy([{ column: 'd.created_at', order: 'desc' }, { column: 'd.id', order: 'desc' }]).limit(limit + 1)) as Array<
      DeploymentRow & { service_name: string; server_id: string; project_id: string; project_name: string; is_current: boolean }
    >;
  }

  /** Deployments handed to the agent of `serverId` and not yet answered (redelivered on reconnect). */
  async deployingOnServer(serverId: string): Promise<DeploymentRow[]> {
    return this.db('deployments')
      .join('services', 'services.id', 'deployments.service_id')
      .where('services.server_id', serverId)
      .where('deployments.status', 'deploying')
      .select('deployments.*');
  }

  /** The deployment each service of `serverId` should be running (desired state). */
  async currentOnServer(serverId: string): Promise<DeploymentRow[]> {
    return this.db('deployments')
      .join('services', 'services.current_deployment_id', 'deployments.id')
      .where('services.server_id', serverId)
      .whereNotNull('deployments.artifact_id')
      .select('deployments.*');
  }

  /** Deployments whose build was sent to the agent of `serverId` and has no result yet. */
  async buildingOnServer(serverId: string): Promise<DeploymentRow[]> {
    return this.db('deployments').where({ server_id: serverId, status: 'building' }).orderBy('created_at');
  }

  /** Whether `artifactId` belongs to a deployment sent to `serverId` (its agent may download it). */
  async artifactSentTo(artifactId: string, serverId: string): Promise<boolean> {
    return Boolean(await this.db('deployments').where({ artifact_id: artifactId, server_id: serverId }).first('id'));
  }

  async stuck(status: 'deploying' | 'building', olderThan: Date): Promise<DeploymentRow[]> {
    return this.db('deployments').where('status', status).where('status_changed_at', '<', olderThan);
  }

  async lastRunnable(serviceId: string, excludeId: string | null): Promise<DeploymentRow | undefined> {
    const q = this.db('deployments').where({ service_id: serviceId }).whereIn('status', ROLLBACK_TARGET_DEPLOYMENT_STATUSES as DeploymentStatus[]).whereNotNull('artifact_id');
    if (excludeId) void q.whereNot('id', excludeId);
    return q.orderBy('finished_at', 'desc').first();
  }

  /**
   * Writes a deployment's verification only while it is in one of `expected` (null: none yet):
   * compare-and-set, so two workers checking the same deployment conclude it once.
   */
  async setVerification(id: string, expected: ReadonlyArray<DeploymentVerification['status'] | null>, next: DeploymentVerification): Promise<DeploymentRow | null> {
    const statuses = expected.filter((s): s is DeploymentVerification['status'] => s !== null);
    const rows = await this.db('deployments')
      .where({ id })
      .where((q) => {
        if (expected.includes(null)) void q.whereNull('verification');
        if (statuses.length) void q.orWhereRaw("verification->>'status' = ANY(?)", [statuses]);
      })
      .update({ verification: next })
      .returning('*');
    return rows[0] ?? null;
  }

  /** Deployments whose verification is still pending although it ended before `endedBefore`. */
  async overdueVerifications(endedBefore: Date, limit: number): Promise<string[]> {
    const rows = await this.db('deployments')
      .whereRaw("verification->>'status' = 'pending'")
      .whereRaw("(verification->>'ends_at')::timestamptz < ?", [endedBefore])
      .select('id')
      .limit(limit);
    return rows.map((r) => r.id);
  }

  /** A rollback of `serviceId` to `targetId` created since `since`, if any (an automatic rollback is made once). */
  async rollbackSince(serviceId: string, targetId: string, since: Date): Promise<DeploymentRow | undefined> {
    return this.db('deployments').where({ service_id: serviceId, trigger_type: 'rollback', rollback_from_id: targetId }).where('created_at', '>=', since).orderBy('created_at').first();
  }
}
