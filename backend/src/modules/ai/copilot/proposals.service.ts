import type { AiProposal } from '@syntra/shared';
import { ConflictError, ForbiddenError, NotFoundError } from '../../../errors.js';
import { iso } from '../../../lib/iso.js';
import type { AuditService } from '../../audit/index.js';
import type { Actor } from '../../orgs/index.js';
import type { AiRepo } from '../ai.repo.js';
import type { AiProposalRow } from '../ai.tables.js';
import type { CopilotPorts } from './ports.js';
import { ACTION_TOOLS, type ActionTool, type Asker } from './tools.js';

export function toProposalDto(row: AiProposalRow): AiProposal {
  return {
    id: row.id,
    conversation_id: row.conversation_id,
    action: row.action,
    args: row.args,
    summary: row.summary,
    status: row.status,
    result: row.result,
    created_at: iso(row.created_at),
    decided_at: row.decided_at ? iso(row.decided_at) : null,
  };
}

/** The approving user, as a route sees them: their permissions in the proposal's organisation now. */
export interface Approver extends Asker {
  actor: Actor;
}

/**
 * Actions the model asked for. The model can only create a pending proposal (through a tool call);
 * approving is a route a signed-in person calls, and there is no tool or text that reaches it, so
 * nothing the model reads (logs, errors, commits) can approve anything. An approved proposal runs as
 * the approving user through the same service method as the console's button, after the same
 * permission check, and is audited with its conversation.
 */
export class ProposalService {
  constructor(
    private readonly repo: AiRepo,
    private readonly ports: CopilotPorts,
    private readonly audit: AuditService,
  ) {}

  /** Records a proposal, or says why not (the text goes back to the model as the tool's error). */
  async propose(asker: Asker, conversationId: string, tool: ActionTool, input: Record<string, unknown>): Promise<AiProposalRow> {
    if (!asker.permissions.has(tool.permission)) {
      throw new ForbiddenError(`The user cannot do this (${tool.permission}); do not propose it`);
    }
    const summary = await tool.describe(this.ports, asker, input);
    return this.repo.insertProposal({ conversation_id: conversationId, org_id: asker.orgId, user_id: asker.userId, action: tool.action, args: input, summary: summary.slice(0, 500) });
  }

  /** A proposal of this user in this organisation; anyone else's does not exist (404). */
  private async mine(proposalId: string, who: Asker): Promise<AiProposalRow> {
    const row = await this.repo.findProposal(proposalId);
    if (!row || row.org_id !== who.orgId || row.user_id !== who.userId) throw new NotFoundError('Proposal');
    return row;
  }

  async orgIdOf(proposalId: string): Promise<string | null> {
    return (await this.repo.findProposal(proposalId))?.org_id ?? null;
  }

  async approve(proposalId: string, who: Approver): Promise<AiProposal> {
    const row = await this.mine(proposalId, who);
    const tool = ACTION_TOOLS.get(row.action);
    if (!tool) throw new ConflictError('This kind of action can no longer be run');
    // Checked now, not when proposed: the user's role or token may have changed since.
    if (!who.permissions.has(tool.permission)) throw new ForbiddenError(`Your role cannot do this (${tool.permission})`);
    const decided = await this.repo.decideProposal(row.id, 'approved');
    if (!decided) throw new ConflictError(`This proposal was already ${row.status}`);
    let done: AiProposalRow;
    try {
      // Checked again at approval: the stored arguments go through the tool's own schema.
      const result = await tool.execute(this.ports, { orgId: who.orgId, actor: who.actor }, tool.input.parse(row.args));
      done = await this.repo.setProposalResult(row.id, 'approved', result);
    } catch (err) {
      const message = err instanceof Error ? err.message : 'failed';
      done = await this.repo.setProposalResult(row.id, 'failed', { error: message.slice(0, 500) });
    }
    await this.audit.record({
      orgId: row.org_id,
      actorId: who.userId,
      action: 'ai.proposal.approved',
      targetType: 'ai_proposal',
      targetId: row.id,
      ip: who.actor.ip,
      userAgent: who.actor.userAgent,
      metadata: { conversation_id: row.conversation_id, action: row.action, status: done.status, ...(done.result ?? {}) },
    });
    return toProposalDto(done);
  }

  async reject(proposalId: string, who: Approver): Promise<AiProposal> {
    const row = await this.mine(proposalId, who);
    const decided = await this.repo.decideProposal(row.id, 'rejected');
    if (!decided) throw new ConflictError(`This proposal was already ${row.status}`);
    await this.audit.record({
      orgId: row.org_id, actorId: who.userId, action: 'ai.proposal.rejected', targetType: 'ai_proposal', targetId: row.id,
      ip: who.actor.ip, userAgent: who.actor.userAgent, metadata: { conversation_id: row.conversation_id, action: row.action },
    });
    return toProposalDto(decided);
  }
}
