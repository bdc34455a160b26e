import type { AiProposal } from '@syntra/shared';
import { Link } from 'react-router';
import { Badge, InlineError } from '../../components/ui.js';
import { useConnection } from '../../lib/connection.js';
import { useDecideProposal } from './ai-queries.js';

const TONE = { pending: 'warn', approved: 'ok', rejected: 'muted', failed: 'bad' } as const;

/**
 * An action the co-pilot wants taken. Nothing runs until the user presses Approve; it then runs as
 * them, with their permissions, like the page's own button.
 */
export function ProposalCard({ proposal }: { proposal: AiProposal }) {
  const decide = useDecideProposal(proposal.conversation_id);
  const online = useConnection((s) => s.online);
  const shown = decide.data?.id === proposal.id ? decide.data : proposal;
  // A restart names the deployment it restarted; only a deploy or rollback created one to follow.
  const deploymentId = typeof shown.result?.deployment_id === 'string' && shown.action !== 'restart_service' ? shown.result.deployment_id : null;
  const ruleCreated = typeof shown.result?.alert_rule_id === 'string';
  return (
    <div className="ai-proposal" data-testid="ai-proposal" data-status={shown.status}>
      <div className="row">
        <strong>{shown.summary}</strong>
        <Badge tone={TONE[shown.status]}>{shown.status}</Badge>
      </div>
      {shown.status === 'pending' && (
        <>
          <p className="muted small">The co-pilot cannot do this itself. Approving runs it as you, with your permissions, and records it in the audit log.</p>
          <div className="row">
            <button className="btn btn-primary btn-small" disabled={!online || decide.isPending} onClick={() => decide.mutate({ id: proposal.id, decision: 'approve' })}>
              Approve
            </button>
            <button className="btn btn-small" disabled={!online || decide.isPending} onClick={() => decide.mutate({ id: proposal.id, decision: 'reject' })}>
              Reject
            </button>
          </div>
        </>
      )}
      {deploymentId && (
        <p className="small">
          <Link to={`/deployments/${deploymentId}`}>Follow the deployment</Link>
        </p>
      )}
      {ruleCreated && (
        <p className="small">
          <Link to="/alerts/rules">See the alert rules</Link>
        </p>
      )}
      {shown.status === 'failed' && typeof shown.result?.error === 'string' && <p className="small bad">{shown.result.error}</p>}
      <InlineError error={decide.error} />
    </div>
  );
}
