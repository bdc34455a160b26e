import type { Knex } from 'knex';
import type { AiBlock } from '@syntra/shared';
import type { AiProposalRow } from './ai.tables.js';
import './ai.tables.js';

/** Every statement on the AI module's tables. */
export class AiRepo {
  constructor(private readonly db: Knex) {}

  // ---- conversations ----

  async insertConversation(orgId: string, userId: string, title: string) {
    const [row] = await this.db('ai_conversations').insert({ org_id: orgId, user_id: userId, title }).returning('*');
    return row!;
  }

  findConversation(id: string) {
    return this.db('ai_conversations').where({ id }).first();
  }

  listConversations(orgId: string, userId: string, limit = 100) {
    return this.db('ai_conversations').where({ org_id: orgId, user_id: userId }).orderBy('updated_at', 'desc').limit(limit);
  }

  async touchConversation(id: string) {
    await this.db('ai_conversations').where({ id }).update({ updated_at: this.db.fn.now() });
  }

  async insertMessage(conversationId: string, role: 'user' | 'assistant', blocks: AiBlock[]) {
    const [row] = await this.db('ai_messages').insert({ conversation_id: conversationId, role, blocks: JSON.stringify(blocks) }).returning('*');
    return row!;
  }

  messagesOf(conversationId: string) {
    return this.db('ai_messages').where({ conversation_id: conversationId }).orderBy([{ column: 'created_at' }, { column: 'id' }]);
  }

  // ---- proposals ----

  async insertProposal(row: Pick<AiProposalRow, 'conversation_id' | 'org_id' | 'user_id' | 'action' | 'args' | 'summary'>) {
    const [inserted] = await this.db('ai_proposals').insert(row).returning('*');
    return inserted!;
  }

  findProposal(id: string) {
    return this.db('ai_proposals').where({ id }).first();
  }

  proposalsOf(conversationId: string) {
    return this.db('ai_proposals').where({ conversation_id: conversationId }).orderBy('created_at');
  }

  /**
   * Moves a pending proposal to its decision; `undefined` when it was not pending any more (a
   * double click, two tabs): the status check in the WHERE makes the decision happen once.
   */
  async decideProposal(id: string, status: 'approved' | 'rejected') {
    const [row] = await this.db('ai_proposals').where({ id, status: 'pending' }).update({ status, decided_at: this.db.fn.now() }).returning('*');
    return row;
  }

  async setProposalResult(id: string, status: 'approved' | 'failed', result: Record<string, unknown>) {
    const [row] = await this.db('ai_proposals').where({ id }).update({ status, result }).returning('*');
    return row!;
  }

  // ---- usage and budget ----

  async insertUsage(row: { org_id: string; user_id: string | null; kind: string; model: string; input_tokens: number; output_tokens: number }) {
    await this.db('ai_usage').insert(row);
  }

  async tokensSince(orgId: string, since: Date): Promise<number> {
    const row = await this.db('ai_usage')
      .where({ org_id: orgId })
      .andWhere('created_at', '>=', since)
      .sum({ total: this.db.raw('input_tokens + output_tokens') })
      .first();
    return Number((row as { total?: unknown } | undefined)?.total ?? 0);
  }

  settingsOf(orgId: string) {
    return this.db('ai_org_settings').where({ org_id: orgId }).first();
  }

  async upsertSettings(orgId: string, patch: { monthly_token_budget?: number | null; auto_analyze?: boolean }) {
    const [row] = await this.db('ai_org_settings')
      .insert({ org_id: orgId, ...patch })
      .onConflict('org_id')
      .merge({ ...patch, updated_at: this.db.fn.now() })
      .returning('*');
    return row!;
  }

  async autoAnalyzeOrgs(): Promise<string[]> {
    return (await this.db('ai_org_settings').where({ auto_analyze: true }).select('org_id')).map((r) => r.org_id);
  }

  // ---- saved Dockerfiles ----

  savedDockerfile(serviceId: string) {
    return this.db('service_dockerfiles').where({ service_id: serviceId }).first();
  }

  async saveDockerfile(serviceId: string, userId: string, dockerfile: string, dockerignore: string) {
    const [row] = await this.db('service_dockerfiles')
      .insert({ service_id: serviceId, dockerfile, dockerignore, saved_by: userId })
      .onConflict('service_id')
      .merge({ dockerfile, dockerignore, saved_by: userId, saved_at: this.db.fn.now() })
      .returning('*');
    return row!;
  }

  async deleteDockerfile(serviceId: string): Promise<boolean> {
    return (await this.db('service_dockerfiles').where({ service_id: serviceId }).delete()) > 0;
  }
}
