import { contracts, type ErrorRetention as Retention } from '@syntra/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { InlineError, Skeleton, timeAgo } from '../../components/ui.js';
import { call } from '../../lib/api-client.js';
import { useCan } from '../../lib/can.js';
import { useOrgId } from '../../lib/queries.js';

const retentionKey = (orgId: string) => ['issues', 'retention', orgId] as const;

function RetentionForm({ orgId, current, canEdit }: { orgId: string; current: Retention; canEdit: boolean }) {
  const client = useQueryClient();
  const [days, setDays] = useState(String(current.retention_days));
  const save = useMutation({
    mutationFn: () => call(contracts.putOrgsByOrgIdErrorRetention, { params: { orgId }, body: { retention_days: Number(days) } }),
    onSuccess: (data) => client.setQueryData(retentionKey(orgId), data),
  });
  const valid = /^\d+$/.test(days) && Number(days) >= 1 && Number(days) <= 365;
  return (
    <>
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
          <button className="btn" disabled={!valid || save.isPending || Number(days) === current.retention_days}>
            Save retention
          </button>
        )}
      </form>
      <p className="muted small">
        {current.is_default ? 'The default (30 days). ' : ''}Older events are pruned, and issues not seen since go with them
        {current.last_pruned_at ? `; last pruned ${timeAgo(current.last_pruned_at)}.` : '.'}
      </p>
      <InlineError error={save.error} />
    </>
  );
}

/** Settings: how long the organisation keeps error events (issues not seen since go with them). */
export function ErrorRetention() {
  const orgId = useOrgId();
  const canRead = useCan('issues.read');
  const canEdit = useCan('org.update');
  const retention = useQuery({ queryKey: retentionKey(orgId ?? ''), queryFn: () => call(contracts.getOrgsByOrgIdErrorRetention, { params: { orgId: orgId! } }), enabled: !!orgId && canRead });
  if (!canRead || !orgId) return null;
  return (
    <section className="card">
      <h2>Error events</h2>
      {retention.isPending && <Skeleton rows={1} />}
      {retention.isError && <InlineError error={retention.error} />}
      {retention.data && <RetentionForm key={orgId} orgId={orgId} current={retention.data} canEdit={canEdit} />}
    </section>
  );
}
