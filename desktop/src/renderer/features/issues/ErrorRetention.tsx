import { contracts } from '@syntra/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { InlineError, Skeleton, timeAgo } from '../../components/ui.js';
import { call } from '../../lib/api-client.js';
import { useCan } from '../../lib/can.js';
import { useOrgId } from '../../lib/queries.js';

/** Settings: how long the organisation keeps error events (issues not seen since go with them). */
export function ErrorRetention() {
  const orgId = useOrgId();
  const canRead = useCan('issues.read');
  const canEdit = useCan('org.update');
  const client = useQueryClient();
  const key = ['issues', 'retention', orgId ?? ''];
  const retention = useQuery({ queryKey: key, queryFn: () => call(contracts.getOrgsByOrgIdErrorRetention, { params: { orgId: orgId! } }), enabled: !!orgId && canRead });
  const [days, setDays] = useState('');
  useEffect(() => setDays(retention.data ? String(retention.data.retention_days) : ''), [retention.data]);
  const save = useMutation({
    mutationFn: () => call(contracts.putOrgsByOrgIdErrorRetention, { params: { orgId: orgId! }, body: { retention_days: Number(days) } }),
    onSuccess: (data) => client.setQueryData(key, data),
  });
  if (!canRead) return null;
  if (!retention.data) return retention.isError ? <InlineError error={retention.error} /> : <Skeleton rows={1} />;
  const valid = /^\d+$/.test(days) && Number(days) >= 1 && Number(days) <= 365;
  return (
    <section className="card">
      <h2>Error events</h2>
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          if (valid) save.mutate();
        }}
      >
        <label className="field">
          <span>Keep events for (days)</span>
          <input type="number" min={1} max={365} value={days} disabled={!canEdit} onChange={(e) => setDays(e.target.value)} />
        </label>
        {canEdit && (
          <button className="btn" disabled={!valid || save.isPending || Number(days) === retention.data.retention_days}>
            Save retention
          </button>
        )}
      </form>
      <p className="muted small">
        {retention.data.is_default ? 'The default (30 days). ' : ''}Older events are pruned, and issues not seen since go with them
        {retention.data.last_pruned_at ? `; last pruned ${timeAgo(retention.data.last_pruned_at)}.` : '.'}
      </p>
      <InlineError error={save.error} />
    </section>
  );
}
