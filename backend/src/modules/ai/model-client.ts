import Anthropic from '@anthropic-ai/sdk';
import type { Config } from '../../config.js';
import { AiDisabledError } from './ai.errors.js';

/**
 * The one place the Anthropic SDK is constructed. `ANTHROPIC_API_KEY` turns AI on;
 * `ANTHROPIC_BASE_URL` points it at a proxy (or, in tests, the local stand-in of the Messages API).
 */
export class ModelClient {
  private client: Anthropic | null = null;

  constructor(private readonly config: Config['ai']) {}

  get enabled(): boolean {
    return Boolean(this.config.apiKey);
  }

  get model(): string {
    return this.config.model;
  }

  /** The SDK client; throws AI_DISABLED when AI is off (every AI route calls this first). */
  sdk(): Anthropic {
    if (!this.config.apiKey) throw new AiDisabledError();
    // Retries: the SDK's own (2, on 429/5xx/connection errors), timeout long enough for a tool loop turn.
    this.client ??= new Anthropic({ apiKey: this.config.apiKey, ...(this.config.baseUrl ? { baseURL: this.config.baseUrl } : {}), timeout: 120_000 });
    return this.client;
  }
}
