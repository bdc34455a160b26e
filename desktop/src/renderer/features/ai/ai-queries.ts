import { contracts } from '@syntra/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiRequestError } from '../../lib/api-error.js';
import { call } from '../../lib/api-client.js';

export const aiKeys = {
  conversations: (orgId: string) => ['ai', 'conversations', orgId] as const,
  conversation: (id: string) => ['ai', 'conversation', id] as const,
};

/** AI is off on this installation (no ANTHROPIC_API_KEY): every AI route says so with this code. */
export function isAiOff(err: unknown): boolean {
  return err instanceof ApiRequestError && err.code === 'AI_DISABLED';
}

// AI-off and "not yours" answers do not get better by retrying.
const noRetryWhenOff = (count: number, err: unknown) => !isAiOff(err) && !(err instanceof ApiRequestError && err.status < 500) && count < 2;

export function useConversations(orgId: string | null) {
  return useQuery({
    queryKey: aiKeys.conversations(orgId ?? ''),
    queryFn: () => call(contracts.getAiConversations, {}),
    enabled: !!orgId,
    retry: noRetryWhenOff,
  });
}

export function useConversation(id: string | undefined) {
  return useQuery({
    queryKey: aiKeys.conversation(id ?? ''),
    queryFn: () => call(contracts.getAiConversationsByConversationId, { params: { conversationId: id! } }),
    enabled: !!id,
    retry: noRetryWhenOff,
  });
}

/** Approve or reject a proposal; the conversation is refetched so every card shows the decision. */
export function useDecideProposal(conversationId: string | undefined) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, decision }: { id: string; decision: 'approve' | 'reject' }) =>
      decision === 'approve'
        ? call(contracts.postAiProposalsByProposalIdApprove, { params: { proposalId: id } })
        : call(contracts.postAiProposalsByProposalIdReject, { params: { proposalId: id } }),
    onSettled: () => (conversationId ? client.invalidateQueries({ queryKey: aiKeys.conversation(conversationId) }) : undefined),
  });
}
