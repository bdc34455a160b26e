import type { AiAction, AiBlock } from '@syntra/shared';
import type { Table } from '../../db/table.js';

export interface AiConversationRow {
  id: string;
  org_id: string;
  user_id: string;
  title: string;
  created_at: Date;
  updated_at: Date;
}

export interface AiMessageRow {
  id: string;
  conversation_id: string;
  role: 'user' | 'assistant';
  blocks: AiBlock[];
  created_at: Date;
}

export type AiProposalStatus = 'pending' | 'approved' | 'rejected' | 'failed';

export interface AiProposalRow {
  id: string;
  conversation_id: string;
  org_id: string;
  user_id: string;
  action: AiAction;
  args: Record<string, unknown>;
  summary: string;
  status: AiProposalStatus;
  result: Record<string, unknown> | null;
  created_at: Date;
  decided_at: Date | null;
}

export interface AiUsageRow {
  id: number;
  org_id: string;
  user_id: string | null;
  kind: string;
  model: string;
  input_tokens: number;
  output_tokens: number;
  created_at: Date;
}

export interface AiOrgSettingsRow {
  org_id: string;
  monthly_token_budget: number | null;
  auto_analyze: boolean;
  updated_at: Date;
}

/** A service's saved Dockerfile, sent with its builds. */
export interface ServiceDockerfileRow {
  service_id: string;
  dockerfile: string;
  dockerignore: string;
  saved_by: string | null;
  saved_at: Date;
}

declare module 'knex/types/tables.js' {
  interface Tables {
    ai_conversations: Table<AiConversationRow, 'org_id' | 'user_id' | 'title'>;
    ai_messages: Table<AiMessageRow, 'conversation_id' | 'role' | 'blocks', 'blocks'>;
    ai_proposals: Table<AiProposalRow, 'conversation_id' | 'org_id' | 'user_id' | 'action' | 'args' | 'summary', 'args' | 'result'>;
    ai_usage: Table<AiUsageRow, 'org_id' | 'kind' | 'model' | 'input_tokens' | 'output_tokens'>;
    ai_org_settings: Table<AiOrgSettingsRow, 'org_id'>;
    service_dockerfiles: Table<ServiceDockerfileRow, 'service_id' | 'dockerfile'>;
  }
}
