import { contracts } from '@syntra/shared';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { EmptyState, ErrorState, PageHeader, Skeleton, timeAgo } from '../components/ui.js';
import { call } from '../lib/api-client.js';
import { useCan } from '../lib/can.js';
import { useOrgId } from '../lib/queries.js';

/** Who did what in this organisation (admins and owners). */
export default function AuditPage() {
  const orgId = useOrgId();
  const allowed = useCan('audit.read');
  const [action, setAction] = useState('');
  const entries = useInfiniteQuery({
    queryKey: ['audit', orgId ?? '', action],
    enabled: !!orgId && allowed,
    initialPageParam: '',
    queryFn: ({ pageParam }) =>
      call(contracts.getOrgsByOrgIdAudit, { params: { orgId: orgId! }, query: { limit: 50, cursor: pageParam, action } }),
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
  if (!allowed) return <EmptyState title="Admins only">The audit log is visible to owners and admins of this organisation.</EmptyState>;
  const rows = entries.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <>
      <PageHeader title="Audit log" subtitle="Every change in this organisation, who made it and from where." />
      <section className="card">
        <div className="row" style={{ marginBottom: '0.75rem' }}>
          <input type="search" aria-label="Filter by action" placeholder="Filter by action, e.g. server.create" value={action} onChange={(e) => setAction(e.target.value.trim())} />
        </div>
        {entries.isPending && <Skeleton rows={6} />}
        {entries.isError && <ErrorState error={entries.error} retry={() => void entries.refetch()} />}
        {entries.data && rows.length === 0 && <EmptyState title="Nothing recorded">{action ? `No “${action}” entries.` : 'Changes show up here as people make them.'}</EmptyState>}
        {rows.length > 0 && (
          <table className="table" data-testid="audit-table">
            <thead>
              <tr>
                <th>When</th>
                <th>Who</th>
                <th>Action</th>
                <th>Target</th>
                <th>From</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((e) => (
                <tr key={e.id}>
                  <td className="muted small" title={e.created_at}>
                    {timeAgo(e.created_at)}
                  </td>
                  <td>{e.actor?.email ?? 'system'}</td>
                  <td>
                    <code>{e.action}</code>
                  </td>
                  <td className="muted small">{e.target_type ? `${e.target_type} ${e.target_id?.slice(0, 8) ?? ''}` : '—'}</td>
                  <td className="muted small">{e.ip ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {entries.hasNextPage && (
          <button className="btn" disabled={entries.isFetchingNextPage} onClick={() => void entries.fetchNextPage()}>
            Load older entries
          </button>
        )}
      </section>
    </>
  );
}
