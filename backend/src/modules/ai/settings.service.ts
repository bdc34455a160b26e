import type { AuditService } from '../audit/index.js';
import type { Actor } from '../orgs/index.js';
import type { AiRepo } from './ai.repo.js';
import type { ModelClient } from './model-client.js';
import type { AiUsage } from './usage.service.js';

/** A new issue is analysed automatically (when the organisation opted in) once it has this many events. */
export const AUTO_ANALYZE_MIN_EVENTS = 20;

export class AiSettingsService {
  constructor(
    private readonly repo: AiRepo,
    private readonly usage: AiUsage,
    private readonly model: ModelClient,
    private readonly audit: AuditService,
  ) {}

  async get(orgId: string) {
    this.model.sdk();
    const [row, budget, used] = await Promise.all([this.repo.settingsOf(orgId), this.usage.budgetOf(orgId), this.usage.usedThisMonth(orgId)]);
    return { monthly_token_budget: budget, used_tokens_this_month: used, auto_analyze: row?.auto_analyze ?? false, auto_analyze_min_events: AUTO_ANALYZE_MIN_EVENTS, model: this.model.model };
  }

  async update(orgId: string, actor: Actor, patch: { monthly_token_budget?: number | null | undefined; auto_analyze?: boolean | undefined }) {
    this.model.sdk();
    const changes: { monthly_token_budget?: number | null; auto_analyze?: boolean } = {};
    if (patch.monthly_token_budget !== undefined) changes.monthly_token_budget = patch.monthly_token_budget;
    if (patch.auto_analyze !== undefined) changes.auto_analyze = patch.auto_analyze;
    await this.repo.upsertSettings(orgId, changes);
    await this.audit.record({ orgId, actorId: actor.userId, action: 'ai.settings.update', ip: actor.ip, userAgent: actor.userAgent, metadata: changes });
    return this.get(orgId);
  }

  /** Organisations that opted in to automatic analysis. */
  autoAnalyzeOrgs(): Promise<string[]> {
    return this.repo.autoAnalyzeOrgs();
  }
}
