import type Anthropic from '@anthropic-ai/sdk';
import type { AiBlock, AiChatBody, AiChatEvent, AiConversation, AiConversationDetail } from '@syntra/shared';
import { AppError, NotFoundError } from '../../../errors.js';
import { iso } from '../../../lib/iso.js';
import type { Logger } from '../../../logger.js';
import type { AiRepo } from '../ai.repo.js';
import type { AiConversationRow, AiMessageRow } from '../ai.tables.js';
import type { ModelClient } from '../model-client.js';
import type { AiUsage } from '../usage.service.js';
import type { CopilotPorts } from './ports.js';
import { type ProposalService, toProposalDto } from './proposals.service.js';
import { copilotSystemPrompt } from './system-prompt.js';
import { type Asker, type CopilotTool, TOOLS_BY_NAME, toolDefinitions } from './tools.js';

/** Tool rounds per question: enough to look a few things up, bounded so a loop cannot run away. */
const MAX_TURNS = 6;
const MAX_TOKENS = 2048;
/** A tool's output as the model sees it; the console gets a shorter copy. */
const TOOL_OUTPUT_CHARS = 16_000;
const TOOL_OUTPUT_SHOWN = 4_000;

export interface ChatAsker extends Asker {
  role: string;
  orgName: string;
}

export type Emit = (event: AiChatEvent) => void;

function toConversationDto(row: AiConversationRow): AiConversation {
  return { id: row.id, title: row.title, created_at: iso(row.created_at), updated_at: iso(row.updated_at) };
}

/** Stored messages → the Messages API history (consecutive same-role turns merged, as the API wants them alternating). */
function toHistory(rows: AiMessageRow[]): Anthropic.MessageParam[] {
  const out: Anthropic.MessageParam[] = [];
  for (const row of rows) {
    const content = row.blocks.map((b): Anthropic.ContentBlockParam => {
      if (b.type === 'text') return { type: 'text', text: b.text };
      if (b.type === 'tool_use') return { type: 'tool_use', id: b.id, name: b.name, input: b.input ?? {} };
      return { type: 'tool_result', tool_use_id: b.tool_use_id, content: b.content, ...(b.is_error ? { is_error: true } : {}) };
    });
    const last = out[out.length - 1];
    if (last && last.role === row.role && Array.isArray(last.content)) last.content.push(...content);
    else out.push({ role: row.role, content });
  }
  return out;
}

function capped(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}… [truncated]` : text;
}

/**
 * The co-pilot: a conversation per user, answered by the model in a tool loop. Read tools run at
 * once with the asker's permissions; action tools become proposals (ProposalService).
 */
export class CopilotService {
  constructor(
    private readonly repo: AiRepo,
    private readonly model: ModelClient,
    private readonly usage: AiUsage,
    private readonly ports: CopilotPorts,
    private readonly proposals: ProposalService,
    private readonly log: Logger,
  ) {}

  async list(asker: Asker): Promise<AiConversation[]> {
    this.model.sdk();
    return (await this.repo.listConversations(asker.orgId, asker.userId)).map(toConversationDto);
  }

  async orgIdOf(conversationId: string): Promise<string | null> {
    return (await this.repo.findConversation(conversationId))?.org_id ?? null;
  }

  private async mine(conversationId: string, asker: Asker): Promise<AiConversationRow> {
    const row = await this.repo.findConversation(conversationId);
    // Conversations are personal: another member's is as absent as another organisation's.
    if (!row || row.org_id !== asker.orgId || row.user_id !== asker.userId) throw new NotFoundError('Conversation');
    return row;
  }

  async get(conversationId: string, asker: Asker): Promise<AiConversationDetail> {
    this.model.sdk();
    const row = await this.mine(conversationId, asker);
    const [messages, proposals] = await Promise.all([this.repo.messagesOf(row.id), this.repo.proposalsOf(row.id)]);
    return {
      ...toConversationDto(row),
      messages: messages.map((m) => ({ id: m.id, role: m.role, blocks: m.blocks, created_at: iso(m.created_at) })),
      proposals: proposals.map(toProposalDto),
    };
  }

  /**
   * Everything that can refuse the question with an HTTP error (AI off, budget, a conversation that
   * is not the asker's) happens here, before the stream starts; `run` then streams the answer.
   */
  async start(asker: ChatAsker, body: AiChatBody): Promise<{ conversationId: string; run: (emit: Emit) => Promise<void> }> {
    const sdk = this.model.sdk();
    await this.usage.assertWithinBudget(asker.orgId);
    const conversation = body.conversation_id
      ? await this.mine(body.conversation_id, asker)
      : await this.repo.insertConversation(asker.orgId, asker.userId, body.message.replace(/\s+/g, ' ').slice(0, 80));
    await this.repo.insertMessage(conversation.id, 'user', [{ type: 'text', text: body.message }]);
    await this.repo.touchConversation(conversation.id);
    return { conversationId: conversation.id, run: (emit) => this.run(sdk, asker, conversation.id, emit) };
  }

  private async run(sdk: Anthropic, asker: ChatAsker, conversationId: string, emit: Emit): Promise<void> {
    emit({ type: 'conversation', conversation_id: conversationId });
    const total = { input_tokens: 0, output_tokens: 0 };
    try {
      const history = toHistory(await this.repo.messagesOf(conversationId));
      const tools = toolDefinitions();
      const system = copilotSystemPrompt(asker.orgName, asker.role);
      for (let turn = 0; ; turn += 1) {
        if (turn > 0) await this.usage.assertWithinBudget(asker.orgId);
        const stream = sdk.messages.stream({ model: this.model.model, max_tokens: MAX_TOKENS, system, tools, messages: history });
        stream.on('text', (text) => emit({ type: 'text', text }));
        const message = await stream.finalMessage();
        total.input_tokens += message.usage.input_tokens;
        total.output_tokens += message.usage.output_tokens;
        await this.usage.record(asker.orgId, asker.userId, 'chat', message.model || this.model.model, message.usage);

        const blocks: AiBlock[] = [];
        for (const b of message.content) {
          if (b.type === 'text') blocks.push({ type: 'text', text: b.text });
          else if (b.type === 'tool_use') blocks.push({ type: 'tool_use', id: b.id, name: b.name, input: b.input });
        }
        const saved = await this.repo.insertMessage(conversationId, 'assistant', blocks);
        history.push({ role: 'assistant', content: message.content as Anthropic.ContentBlockParam[] });
        const uses = message.content.filter((b): b is Anthropic.ToolUseBlock => b.type === 'tool_use');
        if (message.stop_reason !== 'tool_use' || uses.length === 0 || turn + 1 >= MAX_TURNS) {
          // A last round that still asked for tools gets answers, so the stored history stays valid.
          if (uses.length > 0) await this.answerTools(asker, conversationId, uses, emit, history);
          await this.repo.touchConversation(conversationId);
          emit({ type: 'done', message_id: saved.id, usage: total });
          return;
        }
        await this.answerTools(asker, conversationId, uses, emit, history);
      }
    } catch (err) {
      const known = err instanceof AppError;
      if (!known) this.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'co-pilot answer failed');
      emit({ type: 'error', code: known ? err.code : 'MODEL_ERROR', message: known ? err.message : 'The model could not answer; try again' });
    }
  }

  private async answerTools(asker: ChatAsker, conversationId: string, uses: Anthropic.ToolUseBlock[], emit: Emit, history: Anthropic.MessageParam[]) {
    const results: Anthropic.ToolResultBlockParam[] = [];
    for (const use of uses) {
      const { output, isError } = await this.runTool(asker, conversationId, use, emit);
      results.push({ type: 'tool_result', tool_use_id: use.id, content: capped(output, TOOL_OUTPUT_CHARS), ...(isError ? { is_error: true } : {}) });
      emit({ type: 'tool', id: use.id, name: use.name, input: use.input, output: capped(output, TOOL_OUTPUT_SHOWN), is_error: isError });
    }
    await this.repo.insertMessage(conversationId, 'user', results.map((r) => ({ type: 'tool_result', tool_use_id: r.tool_use_id, content: r.content as string, ...(r.is_error ? { is_error: true } : {}) })));
    history.push({ role: 'user', content: results });
  }

  /** One tool call: a read runs with the asker's permissions, an action becomes a proposal. */
  private async runTool(asker: ChatAsker, conversationId: string, use: Anthropic.ToolUseBlock, emit: Emit): Promise<{ output: string; isError: boolean }> {
    const tool: CopilotTool | undefined = TOOLS_BY_NAME.get(use.name);
    if (!tool) return { output: `No tool named ${use.name}`, isError: true };
    const input = tool.input.safeParse(use.input ?? {});
    if (!input.success) return { output: `Invalid input: ${input.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ')}`, isError: true };
    try {
      if (tool.kind === 'action') {
        const proposal = await this.proposals.propose(asker, conversationId, tool, input.data as Record<string, unknown>);
        emit({ type: 'proposal', proposal: toProposalDto(proposal) });
        return { output: JSON.stringify({ proposal_id: proposal.id, status: 'pending', note: 'Not executed. The user decides in the console whether to approve it.' }), isError: false };
      }
      if (!asker.permissions.has(tool.permission)) return { output: `The user cannot read this (${tool.permission})`, isError: true };
      const data = await tool.run(this.ports, asker, input.data);
      return { output: JSON.stringify(data), isError: false };
    } catch (err) {
      // Domain errors (not found, forbidden, agent offline) are the answer; anything else is not shown.
      if (err instanceof AppError) return { output: err.message, isError: true };
      this.log.warn({ tool: use.name, err: err instanceof Error ? err.message : String(err) }, 'co-pilot tool failed');
      return { output: 'The tool failed', isError: true };
    }
  }
}
