import { contracts, TOKEN_SCOPES, type TokenScope } from '@syntra/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ShownOnce } from '../components/ShownOnce.js';
import { Badge, Dialog, EmptyState, ErrorState, InlineError, PageHeader, Skeleton, timeAgo } from '../components/ui.js';
import { call } from '../lib/api-client.js';
import { useConnection } from '../lib/connection.js';
import { keys, useOrgId, useTokens } from '../lib/queries.js';
import { useSession } from '../lib/session.js';

const SCOPE_HELP: Record<TokenScope, string> = {
  read: 'read everything you can see (env values stay masked)',
  write: 'change servers, projects and services; reveal env values',
  deploy: 'start deployments (CI)',
  admin: 'everything, including team and tokens',
};

function CreateTokenDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const client = useQueryClient();
  const orgId = useOrgId();
  const orgName = useSession((s) => s.orgs.find((o) => o.id === s.orgId)?.name);
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<TokenScope[]>(['read']);
  const [thisOrgOnly, setThisOrgOnly] = useState(true);
  const [days, setDays] = useState('90');
  const create = useMutation({
    mutationFn: () =>
      call(contracts.postTokens, {
        body: { name, scopes, ...(thisOrgOnly && orgId ? { org_id: orgId } : {}), ...(days ? { expires_in_days: Number(days) } : {}) },
      }),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.tokens }),
  });
  const close = () => {
    create.reset();
    setName('');
    onClose();
  };
  return (
    <Dialog title="New API token" open={open} onClose={close}>
      {create.data ? (
        <ShownOnce
          note={
            <>
              Copy <strong>{create.data.name}</strong> now: it is shown once and cannot be recovered.
            </>
          }
          values={[{ text: create.data.token, testId: 'new-token' }]}
          done={{ label: 'I have copied it', onClick: close }}
        />
      ) : (
        <form
          className="stack"
          onSubmit={(e) => {
            e.preventDefault();
            create.mutate();
          }}
        >
          <label className="field">
            <span>Name</span>
            <input required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} placeholder="CI deploys" />
          </label>
          <fieldset className="field">
            <legend>Scopes</legend>
            {TOKEN_SCOPES.map((s) => (
              <label key={s} className="check">
                <input type="checkbox" checked={scopes.includes(s)} onChange={(e) => setScopes(e.target.checked ? [...scopes, s] : scopes.filter((x) => x !== s))} />
                <strong>{s}</strong> <span className="muted small">— {SCOPE_HELP[s]}</span>
              </label>
            ))}
          </fieldset>
          <label className="check">
            <input type="checkbox" checked={thisOrgOnly} onChange={(e) => setThisOrgOnly(e.target.checked)} /> Only for {orgName ?? 'this organisation'}
          </label>
          <label className="field">
            <span>Expires after (days, empty for never)</span>
            <input type="number" min={1} max={3650} value={days} onChange={(e) => setDays(e.target.value)} />
          </label>
          <InlineError error={create.error} />
          <button className="btn btn-primary" disabled={create.isPending || scopes.length === 0}>
            Create token
          </button>
        </form>
      )}
    </Dialog>
  );
}

/** API tokens are the user's own: every role manages its own (scopes still cap what they can do). */
export default function TokensPage() {
  const tokens = useTokens();
  const online = useConnection((s) => s.online);
  const client = useQueryClient();
  const [open, setOpen] = useState(false);
  const revoke = useMutation({
    mutationFn: (id: string) => call(contracts.deleteTokensById, { params: { id } }),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.tokens }),
  });
  return (
    <>
      <PageHeader
        title="API tokens"
        subtitle="For the CLI, CI pipelines and scripts. A token acts as you, limited to its scopes."
        actions={
          online && (
            <button className="btn btn-primary" onClick={() => setOpen(true)}>
              New token
            </button>
          )
        }
      />
      <section className="card">
        {tokens.isPending && <Skeleton rows={3} />}
        {tokens.isError && <ErrorState error={tokens.error} retry={() => void tokens.refetch()} />}
        {tokens.data?.length === 0 && <EmptyState title="No API tokens yet">Create one for your CI to deploy with, e.g. scopes “deploy”.</EmptyState>}
        {tokens.data && tokens.data.length > 0 && (
          <table className="table" data-testid="tokens-table">
            <thead>
              <tr>
                <th>Name</th>
                <th>Scopes</th>
                <th>Last used</th>
                <th>Expires</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {tokens.data.map((t) => (
                <tr key={t.id}>
                  <td>
                    {t.name} <code className="muted small">{t.prefix}…</code>
                  </td>
                  <td>
                    {t.scopes.map((s) => (
                      <Badge key={s} tone="muted">
                        {s}
                      </Badge>
                    ))}
                  </td>
                  <td className="muted small">{timeAgo(t.last_used_at)}</td>
                  <td className="muted small">{t.expires_at ? new Date(t.expires_at).toLocaleDateString() : 'never'}</td>
                  <td className="actions">
                    {online && (
                      <button className="btn btn-small btn-danger" onClick={() => confirm(`Revoke ${t.name}? Anything using it stops working.`) && revoke.mutate(t.id)}>
                        Revoke
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <InlineError error={revoke.error} />
      </section>
      <CreateTokenDialog open={open} onClose={() => setOpen(false)} />
    </>
  );
}
