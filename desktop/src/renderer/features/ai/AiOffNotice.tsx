import { EmptyState } from '../../components/ui.js';

/** What the console shows instead of AI features when the installation has no model key. */
export function AiOffNotice() {
  return (
    <div data-testid="ai-off-notice">
      <EmptyState title="AI is off on this installation">
        The co-pilot, error analysis and Dockerfile generation need an Anthropic API key. An operator turns them on by setting{' '}
        <code>ANTHROPIC_API_KEY</code> (optionally <code>ANTHROPIC_BASE_URL</code> for a proxy and <code>SYNTRA_AI_MODEL</code>) and restarting Syntra.
      </EmptyState>
    </div>
  );
}
