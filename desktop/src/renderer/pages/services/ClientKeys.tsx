import { contracts, type ClientKey, type IntakeStats } from '@syntra/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Badge, CopyButton, EmptyState, ErrorState, InlineError, Skeleton, timeAgo } from '../../components/ui.js';
import { call } from '../../lib/api-client.js';
import { useCan } from '../../lib/can.js';
import { clientKeyKeys, setupSnippets, useClientKeys, useIntake } from '../../lib/client-keys.js';

const COUNTERS: Array<[keyof IntakeStats, string]> = [
  ['events', 'Events'],
  ['transactions', 'Transactions'],
  ['sessions', 'Sessions'],
  ['attachments', 'Attachments'],
  ['dropped_rate_limited', 'Dropped: rate limit'],
  ['dropped_backlog', 'Dropped: backlog'],
  ['dropped_too_large', 'Dropped: too large'],
  ['dropped_invalid', 'Dropped: malformed'],
];

function Snippets({ dsn }: { dsn: string }) {
  const snippets = setupSnippets(dsn);
  const [sdk, setSdk] = useState(snippets[0]!.id);
  const shown = snippets.find((s) => s.id === sdk) ?? snippets[0]!;
  return (
    <div className="stack" data-testid="dsn-snippets">
      <div className="tabs" role="tablist" aria-label="SDK">
        {snippets.map((s) => (
          <button key={s.id} role="tab" aria-selected={s.id === sdk} className={s.id === sdk ? 'active' : ''} onClick={() => setSdk(s.id)}>
            {s.label}
          </button>
        ))}
      </div>
      <div className="copy-row">
        <code>{shown.install}</code>
        <CopyButton text={shown.install} />
      </div>
      <div className="copy-row">
        <code>{shown.code}</code>
        <CopyButton text={shown.code} />
      </div>
    </div>
  );
}

function Origins({ serviceId, origins, canWrite }: { serviceId: string; origins: string[] | null; canWrite: boolean }) {
  const client = useQueryClient();
  const [text, setText] = useState((origins ?? []).join('\n'));
  const save = useMutation({
    mutationFn: (allowed: string[] | null) => call(contracts.patchServicesByServiceIdIntake, { params: { serviceId }, body: { allowed_origins: allowed } }),
    onSuccess: (data) => client.setQueryData(clientKeyKeys.intake(serviceId), data),
  });
  const list = text
    .split(/[\s,]+/)
    .map((o) => o.trim())
    .filter(Boolean);
  return (
    <div className="stack">
      <p className="muted small">
        Browser origins allowed to send events: {origins ? origins.join(', ') : <strong>any</strong>}.
      </p>
      {canWrite && (
        <form
          className="stack"
          onSubmit={(e) => {
            e.preventDefault();
            save.mutate(list.length ? list : null);
          }}
        >
          <label className="field">
            <span>Allowed origins (one per line; empty: any)</span>
            <textarea rows={2} value={text} onChange={(e) => setText(e.target.value)} placeholder="https://shop.example.com" aria-label="Allowed origins" />
          </label>
          <div className="row">
            <button className="btn" disabled={save.isPending}>
              Save origins
            </button>
          </div>
          <InlineError error={save.error} />
        </form>
      )}
    </div>
  );
}

/** The service's DSN(s): copy, setup snippets, add and revoke keys, browser origins, intake counts. */
export function ClientKeys({ serviceId }: { serviceId: string }) {
  const keys = useClientKeys(serviceId);
  const intake = useIntake(serviceId);
  const canWrite = useCan('services.write');
  const client = useQueryClient();
  const refresh = () => client.invalidateQueries({ queryKey: clientKeyKeys.keys(serviceId) });
  const add = useMutation({ mutationFn: () => call(contracts.postServicesByServiceIdKeys, { params: { serviceId }, body: {} }), onSuccess: refresh });
  const revoke = useMutation({ mutationFn: (keyId: string) => call(contracts.deleteServicesByServiceIdKeysByKeyId, { params: { serviceId, keyId } }), onSuccess: refresh });
  if (keys.isPending) return <Skeleton rows={4} />;
  if (keys.isError) return <ErrorState error={keys.error} retry={() => void keys.refetch()} />;
  const live = keys.data.items.filter((k) => !k.revoked_at);
  const primary: ClientKey | undefined = live[0];
  return (
    <div className="stack" data-testid="client-keys">
      <p className="muted small">Point any Sentry SDK at this DSN: its errors become this service’s issues. A DSN is public by design (browsers ship it); revoke a key to stop it.</p>
      {primary ? (
        <>
          <div className="copy-row" data-testid="dsn">
            <code>{primary.dsn}</code>
            <CopyButton text={primary.dsn} label="Copy DSN" />
          </div>
          <Snippets dsn={primary.dsn} />
        </>
      ) : (
        <EmptyState title="No live key" action={canWrite ? <button className="btn btn-primary" onClick={() => add.mutate()}>Add a key</button> : undefined}>
          Every key of this service has been revoked.
        </EmptyState>
      )}
      <table className="table" data-testid="client-keys-table">
        <thead>
          <tr>
            <th>Key</th>
            <th>Created</th>
            <th>Status</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {keys.data.items.map((k) => (
            <tr key={k.id}>
              <td>
                <code>{k.public_key}</code>
              </td>
              <td>{timeAgo(k.created_at)}</td>
              <td>{k.revoked_at ? <Badge tone="muted">revoked {timeAgo(k.revoked_at)}</Badge> : <Badge tone="ok">live</Badge>}</td>
              <td className="actions">
                {!k.revoked_at && <CopyButton text={k.dsn} label="Copy DSN" />}
                {canWrite && !k.revoked_at && (
                  <button className="btn btn-small btn-danger" disabled={revoke.isPending} onClick={() => revoke.mutate(k.id)}>
                    Revoke
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {canWrite && primary && (
        <div className="row">
          <button className="btn" disabled={add.isPending} onClick={() => add.mutate()}>
            Add a key
          </button>
        </div>
      )}
      <InlineError error={add.error ?? revoke.error} />
      {intake.data && (
        <>
          <div className="row small" data-testid="intake-stats">
            {COUNTERS.map(([k, label]) => (
              <span key={k} className="muted">
                {label}: <strong>{intake.data.stats[k]}</strong>
              </span>
            ))}
          </div>
          <Origins key={(intake.data.allowed_origins ?? []).join(',')} serviceId={serviceId} origins={intake.data.allowed_origins} canWrite={canWrite} />
        </>
      )}
      <InlineError error={intake.error} />
    </div>
  );
}
