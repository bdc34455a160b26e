import { contracts } from '@syntra/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { InlineError, Skeleton } from '../../components/ui.js';
import { call } from '../../lib/api-client.js';
import { useCan } from '../../lib/can.js';
import { useOrgId } from '../../lib/queries.js';
import { isAiOff } from './ai-queries.js';

/** The organisation's AI use this month against its budget, and the opt-in to automatic analysis. */
export function AiSettingsCard() {
  const orgId = useOrgId();
  const client = useQueryClient();
  const canChange = useCan('org.update');
  const key = ['ai', 'settings', orgId ?? ''];
  const settings = useQuery({ queryKey: key, queryFn: () => call(contracts.getAiSettings, {}), enabled: !!orgId, retry: false });
  const update = useMutation({
    mutationFn: (auto: boolean) => call(contracts.patchAiSettings, { body: { auto_analyze: auto } }),
    onSuccess: (data) => client.setQueryData(key, data),
  });
  if (isAiOff(settings.error)) {
    return (
      <section className="card">
        <h2>AI</h2>
        <p className="muted">AI is off on this installation: an operator sets <code>ANTHROPIC_API_KEY</code> to turn it on.</p>
      </section>
    );
  }
  return (
    <section className="card" data-testid="ai-settings">
      <h2>AI</h2>
      {settings.isPending && <Skeleton rows={2} />}
      {settings.data && (
        <div className="stack">
          <p>
            {settings.data.used_tokens_this_month.toLocaleString()} of{' '}
            {settings.data.monthly_token_budget === 0 ? 'unlimited' : settings.data.monthly_token_budget.toLocaleString()} tokens used this month ({settings.data.model}).
          </p>
          <label className="check">
            <input type="checkbox" checked={settings.data.auto_analyze} disabled={!canChange || update.isPending} onChange={(e) => update.mutate(e.target.checked)} />
            Analyse new issues automatically once they reach {settings.data.auto_analyze_min_events} events
          </label>
        </div>
      )}
      <InlineError error={update.error ?? (isAiOff(settings.error) ? null : settings.error)} />
    </section>
  );
}
