import { NavLink, useNavigate, useParams } from 'react-router';
import { EmptyState, PageHeader, Skeleton, timeAgo } from '../../components/ui.js';
import { useOrgId } from '../../lib/queries.js';
import { isAiOff, useConversations } from './ai-queries.js';
import { AiOffNotice } from './AiOffNotice.js';
import { ChatPanel } from './ChatPanel.js';
import './ai.css';

/** /ai and /ai/:conversationId: your conversations beside the open one. */
export default function CopilotPage() {
  const { conversationId } = useParams();
  const orgId = useOrgId();
  const navigate = useNavigate();
  const conversations = useConversations(orgId);
  if (isAiOff(conversations.error)) {
    return (
      <>
        <PageHeader title="Co-pilot" />
        <AiOffNotice />
      </>
    );
  }
  return (
    <>
      <PageHeader
        title="Co-pilot"
        subtitle="Answers from your own data, with the records it used. It proposes actions; you approve them."
        actions={
          conversationId && (
            <button className="btn" onClick={() => navigate('/ai')}>
              New conversation
            </button>
          )
        }
      />
      <div className="ai-layout">
        <nav className="card ai-conversations" aria-label="Conversations">
          {conversations.isPending && <Skeleton rows={4} />}
          {conversations.data?.length === 0 && <EmptyState title="No conversations yet" />}
          {conversations.data?.map((c) => (
            <NavLink key={c.id} to={`/ai/${c.id}`} className="ai-conversation-link">
              <span>{c.title}</span>
              <span className="muted small">{timeAgo(c.updated_at)}</span>
            </NavLink>
          ))}
        </nav>
        <section className="card">
          <ChatPanel key={conversationId ?? 'new'} conversationId={conversationId} onConversation={(id) => navigate(`/ai/${id}`, { replace: true })} />
        </section>
      </div>
    </>
  );
}
