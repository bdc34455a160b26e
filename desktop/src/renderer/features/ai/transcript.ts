import type { AiChatEvent, AiConversationDetail, AiProposal } from '@syntra/shared';

/** What the chat shows, in order: the conversation's stored messages and then the live turn. */
export type TranscriptItem =
  | { kind: 'user'; key: string; text: string }
  | { kind: 'assistant'; key: string; text: string }
  | { kind: 'tool'; key: string; name: string; input: unknown; output: string | null; isError: boolean }
  | { kind: 'proposal'; key: string; proposal: AiProposal };

function proposalIdOf(output: string | null): string | null {
  try {
    const id = (JSON.parse(output ?? '') as { proposal_id?: unknown }).proposal_id;
    return typeof id === 'string' ? id : null;
  } catch {
    return null;
  }
}

/** A stored conversation as transcript items: tool results join their call, proposals follow theirs. */
export function storedTranscript(detail: AiConversationDetail): TranscriptItem[] {
  const items: TranscriptItem[] = [];
  const tools = new Map<string, Extract<TranscriptItem, { kind: 'tool' }>>();
  const proposals = new Map(detail.proposals.map((p) => [p.id, p]));
  for (const message of detail.messages) {
    message.blocks.forEach((block, i) => {
      const key = `${message.id}:${i}`;
      if (block.type === 'text' && block.text.trim()) items.push({ kind: message.role, key, text: block.text });
      else if (block.type === 'tool_use') {
        const item = { kind: 'tool' as const, key, name: block.name, input: block.input, output: null, isError: false };
        tools.set(block.id, item);
        items.push(item);
      } else if (block.type === 'tool_result') {
        const tool = tools.get(block.tool_use_id);
        if (!tool) return;
        tool.output = block.content;
        tool.isError = block.is_error === true;
        const proposal = proposals.get(proposalIdOf(block.content) ?? '');
        if (proposal) items.splice(items.indexOf(tool) + 1, 0, { kind: 'proposal', key: `p:${proposal.id}`, proposal });
      }
    });
  }
  return items;
}

/** The live turn's items after one more event from the stream. */
export function applyEvent(items: TranscriptItem[], event: AiChatEvent): TranscriptItem[] {
  const last = items[items.length - 1];
  switch (event.type) {
    case 'text':
      if (last?.kind === 'assistant') return [...items.slice(0, -1), { ...last, text: last.text + event.text }];
      return [...items, { kind: 'assistant', key: `live:${items.length}`, text: event.text }];
    case 'tool':
      return [...items, { kind: 'tool', key: `live:${event.id}`, name: event.name, input: event.input, output: event.output, isError: event.is_error }];
    case 'proposal':
      return [...items, { kind: 'proposal', key: `p:${event.proposal.id}`, proposal: event.proposal }];
    default:
      return items;
  }
}
