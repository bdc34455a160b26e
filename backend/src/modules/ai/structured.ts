import type Anthropic from '@anthropic-ai/sdk';
import { z } from 'zod';
import { AppError } from '../../errors.js';

export interface StructuredRequest<S extends z.ZodType> {
  model: string;
  system: string;
  /** The user turn: the context the model works from. */
  prompt: string;
  tool: { name: string; description: string; schema: S };
  maxTokens?: number;
}

export interface StructuredResult<T> {
  data: T;
  model: string;
  usage: { input_tokens: number; output_tokens: number };
  attempts: number;
}

/** The model's answer did not match the schema, twice: the caller reports a failed run. */
export class AiOutputError extends Error {
  constructor(readonly issues: string) {
    super(`The model's answer did not have the expected shape: ${issues}`);
  }
}

function issuesOf(error: z.ZodError): string {
  return error.issues.slice(0, 10).map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`).join('; ');
}

/**
 * Structured output through tool use: the model must call `tool` (tool_choice), whose input is
 * validated with the zod schema. An invalid answer is sent back once as the tool's error with what
 * was wrong; a second invalid one throws AiOutputError. Usage of every attempt is reported.
 */
export async function structuredCall<S extends z.ZodType>(
  sdk: Anthropic,
  req: StructuredRequest<S>,
  onUsage: (model: string, usage: { input_tokens: number; output_tokens: number }) => Promise<void>,
): Promise<StructuredResult<z.infer<S>>> {
  const tool = { name: req.tool.name, description: req.tool.description, input_schema: z.toJSONSchema(req.tool.schema, { io: 'input', unrepresentable: 'any' }) as Anthropic.Tool.InputSchema };
  const messages: Anthropic.MessageParam[] = [{ role: 'user', content: req.prompt }];
  const usage = { input_tokens: 0, output_tokens: 0 };
  let issues = '';
  for (let attempt = 1; attempt <= 2; attempt += 1) {
    const message = await sdk.messages
      .create({ model: req.model, max_tokens: req.maxTokens ?? 4096, system: req.system, tools: [tool], tool_choice: { type: 'tool', name: req.tool.name }, messages })
      .catch((err: unknown) => {
        // The provider's own message may echo the request; the user gets ours.
        throw new ModelUnavailableError(err);
      });
    usage.input_tokens += message.usage.input_tokens;
    usage.output_tokens += message.usage.output_tokens;
    await onUsage(message.model || req.model, message.usage);
    const use = message.content.find((b): b is Anthropic.ToolUseBlock => b.type === 'tool_use' && b.name === req.tool.name);
    const parsed = use ? req.tool.schema.safeParse(use.input) : null;
    if (parsed?.success) return { data: parsed.data, model: message.model || req.model, usage, attempts: attempt };
    issues = parsed ? issuesOf(parsed.error) : `no ${req.tool.name} call`;
    messages.push({ role: 'assistant', content: message.content as Anthropic.ContentBlockParam[] });
    messages.push({
      role: 'user',
      content: use
        ? [{ type: 'tool_result', tool_use_id: use.id, is_error: true, content: `Invalid input: ${issues}. Call ${req.tool.name} again with every field valid.` }]
        : `Answer by calling ${req.tool.name}.`,
    });
  }
  throw new AiOutputError(issues);
}

/** The Messages API failed (network, 4xx/5xx after the SDK's retries): 503 for the caller. */
export class ModelUnavailableError extends AppError {
  constructor(override readonly cause: unknown) {
    super('SERVICE_UNAVAILABLE', 'The model could not be reached or refused the request; try again');
  }
}

/** Errors a model call may end with, as the user should see them (never the provider's raw text). */
export function modelFailure(err: unknown): string {
  if (err instanceof AiOutputError || err instanceof AppError) return err.message;
  return 'The model could not be reached or refused the request; try again';
}
