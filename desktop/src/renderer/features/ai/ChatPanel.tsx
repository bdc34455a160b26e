import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { ErrorState, InlineError, Skeleton } from '../../components/ui.js';
import { useConnection } from '../../lib/connection.js';
import { useOrgId } from '../../lib/queries.js';
import { aiKeys, isAiOff, useConversation } from './ai-queries.js';
import { AiOffNotice } from './AiOffNotice.js';
import { streamChat } from './chat-stream.js';
import { ProposalCard } from './ProposalCard.js';
import { RichText } from './RichText.js';
import { SuggestedQuestions } from './SuggestedQuestions.js';
import { ToolCallCard } from './ToolCallCard.js';
import { applyEvent, storedTranscript, type TranscriptItem } from './transcript.js';

/**
 * The co-pilot conversation: stored messages, then the answer streaming in (text, tool calls with
 * what the model saw, proposals to approve). `onConversation` hears the id of a new conversation.
 */
export function ChatPanel({ conversationId, onConversation }: { conversationId?: string | undefined; onConversation?: (id: string) => void }) {
  const orgId = useOrgId();
  const client = useQueryClient();
  const online = useConnection((s) => s.online);
  const detail = useConversation(conversationId);
  const [live, setLive] = useState<TranscriptItem[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [draft, setDraft] = useState('');
  const abort = useRef<AbortController | null>(null);
  const end = useRef<HTMLDivElement>(null);

  useEffect(() => () => abort.current?.abort(), []);
  useEffect(() => {
    end.current?.scrollIntoView?.({ block: 'end' });
  }, [live, detail.data]);

  const send = async (message: string) => {
    const text = message.trim();
    if (!text || busy) return;
    setDraft('');
    setError(null);
    setBusy(true);
    setLive([{ kind: 'user', key: 'live:q', text }]);
    abort.current = new AbortController();
    let id = conversationId;
    try {
      await streamChat({ message: text, ...(conversationId ? { conversation_id: conversationId } : {}) }, (event) => {
        if (event.type === 'conversation') id = event.conversation_id;
        else if (event.type === 'error') setError(new Error(event.message));
        else setLive((items) => applyEvent(items, event));
      }, abort.current.signal);
      if (id) {
        await client.invalidateQueries({ queryKey: aiKeys.conversation(id) });
        await client.invalidateQueries({ queryKey: aiKeys.conversations(orgId ?? '') });
        if (id !== conversationId) onConversation?.(id);
      }
      setLive([]);
    } catch (err) {
      if ((err as Error).name !== 'AbortError') setError(err);
    } finally {
      setBusy(false);
    }
  };

  if (isAiOff(detail.error) || isAiOff(error)) return <AiOffNotice />;
  if (detail.isError) return <ErrorState error={detail.error} retry={() => void detail.refetch()} />;
  if (conversationId && detail.isPending) return <Skeleton rows={4} />;
  const items = [...(detail.data ? storedTranscript(detail.data) : []), ...live];

  return (
    <div className="ai-chat" data-testid="ai-chat">
      <div className="ai-transcript" aria-live="polite">
        {items.length === 0 && <SuggestedQuestions onPick={(q) => void send(q)} />}
        {items.map((item) => {
          if (item.kind === 'user') return <div key={item.key} className="ai-msg ai-msg-user" data-testid="ai-user-message">{item.text}</div>;
          if (item.kind === 'assistant') return <div key={item.key} className="ai-msg ai-msg-assistant" data-testid="ai-answer"><RichText text={item.text} /></div>;
          if (item.kind === 'tool') return <ToolCallCard key={item.key} name={item.name} input={item.input} output={item.output} isError={item.isError} />;
          return <ProposalCard key={item.key} proposal={item.proposal} />;
        })}
        {busy && <div className="muted small" data-testid="ai-thinking">Thinking…</div>}
        <div ref={end} />
      </div>
      {error !== null && <InlineError error={error} />}
      <form
        className="ai-compose"
        onSubmit={(e) => {
          e.preventDefault();
          void send(draft);
        }}
      >
        <textarea
          aria-label="Ask the co-pilot"
          placeholder={online ? 'Ask about your servers, services, deployments… (Enter to send, Shift+Enter for a new line)' : 'Offline: the co-pilot needs the control plane'}
          value={draft}
          maxLength={8000}
          disabled={!online}
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey) {
              e.preventDefault();
              void send(draft);
            }
          }}
        />
        <button className="btn btn-primary" disabled={!online || busy || !draft.trim()}>
          Ask
        </button>
      </form>
    </div>
  );
}
