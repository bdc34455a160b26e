import type { AiRepo } from './ai.repo.js';
import { AiBudgetError } from './ai.errors.js';

export type UsageKind = 'chat' | 'analysis' | 'dockerfile';

/** Per-request token usage, and the monthly budget per organisation summed from it. */
export class AiUsage {
  constructor(
    private readonly repo: AiRepo,
    private readonly defaultBudget: number,
  ) {}

  async budgetOf(orgId: string): Promise<number> {
    const settings = await this.repo.settingsOf(orgId);
    return settings?.monthly_token_budget ?? this.defaultBudget;
  }

  /** Throws PLAN_LIMIT when this calendar month's tokens (UTC) reached the budget; 0 = unlimited. */
  async assertWithinBudget(orgId: string): Promise<void> {
    const budget = await this.budgetOf(orgId);
    if (budget === 0) return;
    const used = await this.usedThisMonth(orgId);
    if (used >= budget) throw new AiBudgetError(used, budget);
  }

  usedThisMonth(orgId: string): Promise<number> {
    const now = new Date();
    return this.repo.tokensSince(orgId, new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)));
  }

  async record(orgId: string, userId: string | null, kind: UsageKind, model: string, usage: { input_tokens: number; output_tokens: number }) {
    await this.repo.insertUsage({ org_id: orgId, user_id: userId, kind, model, input_tokens: usage.input_tokens, output_tokens: usage.output_tokens });
  }
}
