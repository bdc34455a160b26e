import { contracts } from '@syntra/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { CopyButton, ErrorState, InlineError, Skeleton, timeAgo } from '../../components/ui.js';
import { call } from '../../lib/api-client.js';
import { useCan } from '../../lib/can.js';
import { SDK_SNIPPETS } from './dsn-snippets.js';

const keysKey = (serviceId: string) => ['services', 'keys', serviceId] as const;

/**
 * Where a Sentry SDK sends this service's errors: its DSN (public by design: every role sees it)
 * with a copy button and setup snippets; builders add and revoke keys.
 */
export function DsnPanel({ serviceId }: { serviceId: string }) {
  const canWrite = useCan('services.write');
  const client = useQueryClient();
  const [sdk, setSdk] = useState<(typeof SDK_SNIPPETS)[number]['id']>('node');
  const keys = useQuery({ queryKey: keysKey(serviceId), queryFn: () => call(contracts.getServicesByServiceIdKeys, { params: { serviceId } }) });
  const refresh = () => client.invalidateQueries({ queryKey: keysKey(serviceId) });
  const add = useMutation({ mutationFn: () => call(contracts.postServicesByServiceIdKeys, { params: { serviceId }, body: {} }), onSuccess: refresh });
  const revoke = useMutation({ mutationFn: (keyId: string) => call(contracts.deleteServicesByServiceIdKeysByKeyId, { params: { serviceId, keyId } }), onSuccess: refresh });
  const active = keys.data?.items.filter((k) => !k.revoked_at) ?? [];
  const dsn = active[0]?.dsn;
  const snippet = SDK_SNIPPETS.find((s) => s.id === sdk)!;
  return (
    <section className="dsn-panel" data-testid="dsn-panel">
      <div className="card-head">
        <h2>Send errors here</h2>
        {canWrite && (
          <button className="btn btn-small" disabled={add.isPending} onClick={() => add.mutate()}>
            Add key
          </button>
        )}
      </div>
      {keys.isPending && <Skeleton rows={2} />}
      {keys.isError && <ErrorState error={keys.error} retry={() => void keys.refetch()} />}
      {keys.data && active.length === 0 && <p className="muted">This service has no active key{canWrite ? ': add one to get a DSN.' : '.'}</p>}
      {active.map((k) => (
        <div key={k.id} className="copy-row dsn-row">
          <code data-testid="dsn">{k.dsn}</code>
          <CopyButton text={k.dsn} />
          {canWrite && active.length > 1 && (
            <button className="btn btn-small btn-danger" disabled={revoke.isPending} onClick={() => revoke.mutate(k.id)} title={`Added ${timeAgo(k.created_at)}`}>
              Revoke
            </button>
          )}
        </div>
      ))}
      <InlineError error={add.error ?? revoke.error} />
      {dsn && (
        <>
          <div className="segmented dsn-sdks" role="radiogroup" aria-label="SDK">
            {SDK_SNIPPETS.map((s) => (
              <button key={s.id} role="radio" aria-checked={sdk === s.id} className={sdk === s.id ? 'active' : ''} onClick={() => setSdk(s.id)}>
                {s.label}
              </button>
            ))}
          </div>
          <div className="copy-row">
            <code>{snippet.install}</code>
            <CopyButton text={snippet.install} />
          </div>
          <div className="copy-row">
            <code className="dsn-snippet" data-testid="dsn-snippet">
              {snippet.code(dsn)}
            </code>
            <CopyButton text={snippet.code(dsn)} />
          </div>
          <p className="muted small">Any Sentry SDK works with this DSN; a revoked key is refused at once. The same key authenticates OpenTelemetry exporters.</p>
        </>
      )}
    </section>
  );
}
