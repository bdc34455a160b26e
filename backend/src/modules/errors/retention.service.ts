import type { ErrorRetention } from '@syntra/shared';
import { iso } from '../../lib/iso.js';
import type { Logger } from '../../logger.js';
import type { AuditService } from '../audit/index.js';
import type { Actor } from '../orgs/index.js';
import type { StreamPublisher } from '../stream/index.js';
import { issueUpdated } from './issue-events.js';
import type { IssuesRepo } from './issues.repo.js';
import type { RetentionRepo } from './retention.repo.js';

export const DEFAULT_ERROR_RETENTION_DAYS = 30;
const DAY = 86_400_000;
/** Counted event ids are kept this long: far past any redelivery of the intake or an SDK's resend. */
const COUNTED_KEEP_DAYS = 7;
/** Sparkline counts are kept for the 14-day chart plus a margin. */
const HOURLY_KEEP_DAYS = 15;

export interface PruneResult {
  /** Counted event ids forgotten (the events themselves expire by ClickHouse's TTL). */
  counted: number;
  issues: number;
  reopened: number;
}

/**
 * Prunes issues not seen within each organisation's retention; run by the workers. Their events in
 * ClickHouse expire by the table's TTL (RetentionDays per row) and reads stop at the retention.
 */
export class ErrorRetentionService {
  constructor(
    private readonly repo: RetentionRepo,
    private readonly issues: IssuesRepo,
    private readonly stream: Pick<StreamPublisher, 'publish' | 'event'>,
    private readonly logger: Logger,
    private readonly audit: AuditService,
    private readonly defaultDays = DEFAULT_ERROR_RETENTION_DAYS,
  ) {}

  async retentionDays(orgId: string): Promise<number> {
    return (await this.get(orgId)).retention_days;
  }

  async get(orgId: string): Promise<ErrorRetention> {
    const row = await this.repo.find(orgId);
    const chosen = row?.chosen === true;
    return { retention_days: chosen ? row.retention_days : this.defaultDays, is_default: !chosen, last_pruned_at: iso(row?.last_pruned_at) };
  }

  async set(orgId: string, actor: Actor, days: number): Promise<ErrorRetention> {
    await this.repo.setDays(orgId, days);
    await this.audit.record({ orgId, actorId: actor.userId, action: 'errors.retention_updated', targetType: 'organization', targetId: orgId, ip: actor.ip, userAgent: actor.userAgent, metadata: { retention_days: days } });
    return this.get(orgId);
  }

  async prune(now = new Date()): Promise<PruneResult> {
    const result: PruneResult = { counted: 0, issues: 0, reopened: 0 };
    for (const { org_id, retention_days } of await this.repo.orgs()) {
      const before = new Date(now.getTime() - (retention_days ?? this.defaultDays) * DAY);
      result.issues += await this.repo.dropStaleIssues(org_id, before);
      await this.repo.markPruned(org_id, now, this.defaultDays);
    }
    await this.issues.pruneHourly(new Date(now.getTime() - HOURLY_KEEP_DAYS * DAY));
    result.counted = await this.issues.pruneCounted(new Date(now.getTime() - COUNTED_KEEP_DAYS * DAY));
    // An ignore that ran out without new events still ends on time.
    const reopened = await this.issues.reopenExpiredIgnores(now);
    result.reopened = reopened.length;
    if (reopened.length > 0) {
      await this.stream.publish(reopened.map((r) => issueUpdated(this.stream, r))).catch((err: unknown) => this.logger.warn({ err }, 'issue stream events not published'));
    }
    if (result.counted > 0 || result.issues > 0) this.logger.info(result, 'error issues pruned');
    return result;
  }
}
