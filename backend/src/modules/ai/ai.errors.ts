import { AppError } from '../../errors.js';

/** Every AI route without ANTHROPIC_API_KEY: 409 AI_DISABLED, saying how to turn it on. */
export class AiDisabledError extends AppError {
  constructor() {
    super('AI_DISABLED', 'AI is off on this installation: set ANTHROPIC_API_KEY (and optionally ANTHROPIC_BASE_URL, SYNTRA_AI_MODEL) and restart');
  }
}

/** The organisation's monthly token budget is used up: 429 PLAN_LIMIT. */
export class AiBudgetError extends AppError {
  constructor(used: number, budget: number) {
    super('PLAN_LIMIT', `This organisation has used its AI budget for the month (${used} of ${budget} tokens)`, { used_tokens: used, budget_tokens: budget });
  }
}
