import { contracts, DEPLOY_NOTIFICATION_EVENTS, NOTIFICATION_CHANNEL_KINDS, type NotificationChannelKind } from '@syntra/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Badge, Dialog, EmptyState, ErrorState, InlineError, PageHeader, Skeleton } from '../../components/ui.js';
import { alertKeys, useChannels } from '../../lib/alerts.js';
import { call } from '../../lib/api-client.js';
import { useCan } from '../../lib/can.js';
import { useOrgId } from '../../lib/queries.js';
import { AlertsTabs } from './AlertsTabs.js';

type DeployStep = (typeof DEPLOY_NOTIFICATION_EVENTS)[number];

/** The config inputs of each kind; secrets are write-only (never shown again once saved). */
const CONFIG_FIELDS: Record<NotificationChannelKind, Array<{ key: string; label: string; secret?: boolean; list?: boolean }>> = {
  webhook: [
    { key: 'url', label: 'URL' },
    { key: 'secret', label: 'Signing secret (16+ characters)', secret: true },
  ],
  slack: [{ key: 'webhook_url', label: 'Slack incoming-webhook URL', secret: true }],
  discord: [{ key: 'webhook_url', label: 'Discord webhook URL', secret: true }],
  email: [{ key: 'to', label: 'Recipients (comma-separated)', list: true }],
  pagerduty: [{ key: 'routing_key', label: 'Events API v2 routing key', secret: true }],
};

function NewChannelDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const client = useQueryClient();
  const [name, setName] = useState('');
  const [kind, setKind] = useState<NotificationChannelKind>('webhook');
  const [values, setValues] = useState<Record<string, string>>({});
  const [steps, setSteps] = useState<DeployStep[]>([]);
  const create = useMutation({
    mutationFn: () => {
      const config = Object.fromEntries(CONFIG_FIELDS[kind].map((f) => [f.key, f.list ? (values[f.key] ?? '').split(',').map((s) => s.trim()).filter(Boolean) : (values[f.key] ?? '').trim()]));
      // The body's union is by kind; the form builds one of its members.
      return call(contracts.postNotificationChannels, { body: { name, kind, config, deploy_events: steps } as never });
    },
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: alertKeys.all });
      setName('');
      setValues({});
      onClose();
    },
  });
  return (
    <Dialog title="New notification channel" open={open} onClose={onClose}>
      <form
        className="stack"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate();
        }}
      >
        <label className="field">
          <span>Name</span>
          <input required maxLength={200} value={name} onChange={(e) => setName(e.target.value)} placeholder="#ops on Slack" />
        </label>
        <label className="field">
          <span>Kind</span>
          <select aria-label="Kind" value={kind} onChange={(e) => setKind(e.target.value as NotificationChannelKind)}>
            {NOTIFICATION_CHANNEL_KINDS.map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
        </label>
        {CONFIG_FIELDS[kind].map((f) => (
          <label className="field" key={`${kind}.${f.key}`}>
            <span>{f.label}</span>
            <input aria-label={f.label} required type={f.secret ? 'password' : 'text'} autoComplete="off" maxLength={2000} value={values[f.key] ?? ''} onChange={(e) => setValues({ ...values, [f.key]: e.target.value })} />
          </label>
        ))}
        <fieldset className="field">
          <legend>Deploy notifications</legend>
          {DEPLOY_NOTIFICATION_EVENTS.map((s) => (
            <label key={s} className="check">
              <input type="checkbox" checked={steps.includes(s)} onChange={(e) => setSteps(e.target.checked ? [...steps, s] : steps.filter((x) => x !== s))} /> deploy {s}
            </label>
          ))}
        </fieldset>
        <InlineError error={create.error} />
        <button className="btn btn-primary" disabled={create.isPending}>
          Add channel
        </button>
      </form>
    </Dialog>
  );
}

/** Where alerts and deploy notifications go. */
export default function ChannelsPage() {
  const orgId = useOrgId();
  const channels = useChannels(orgId);
  const canEdit = useCan('alerts.write');
  const client = useQueryClient();
  const [open, setOpen] = useState(false);
  const [results, setResults] = useState<Record<string, string>>({});
  const test = useMutation({
    mutationFn: (id: string) => call(contracts.postNotificationChannelsByChannelIdTest, { params: { channelId: id } }),
    onSuccess: (r, id) => setResults((s) => ({ ...s, [id]: r.delivered ? `delivered (${r.status_code})` : `failed: ${r.error ?? r.status_code}` })),
  });
  const remove = useMutation({
    mutationFn: (id: string) => call(contracts.deleteNotificationChannelsByChannelId, { params: { channelId: id } }),
    onSuccess: () => client.invalidateQueries({ queryKey: alertKeys.all }),
  });
  return (
    <>
      <PageHeader
        title="Notification channels"
        subtitle="Webhooks (signed), Slack, Discord, e-mail and PagerDuty. Secrets are stored encrypted and never shown again."
        actions={
          canEdit && (
            <button className="btn btn-primary" onClick={() => setOpen(true)}>
              New channel
            </button>
          )
        }
      />
      <AlertsTabs />
      <section className="card">
        {channels.isPending && <Skeleton rows={3} />}
        {channels.isError && <ErrorState error={channels.error} retry={() => void channels.refetch()} />}
        {channels.data?.items.length === 0 && <EmptyState title="No channels yet">Alerts still reach the console and the desktop app; add a channel to reach people elsewhere.</EmptyState>}
        {channels.data && channels.data.items.length > 0 && (
          <table className="table" data-testid="channels">
            <thead>
              <tr>
                <th>Name</th>
                <th>Kind</th>
                <th>Config</th>
                <th>Deploys</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {channels.data.items.map((c) => (
                <tr key={c.id}>
                  <td>{c.name}</td>
                  <td>
                    <Badge tone="info">{c.kind}</Badge>
                  </td>
                  <td className="small">
                    {Object.entries(c.config)
                      .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') : String(v)}`)
                      .join(' · ')}
                    {c.secrets_set.length > 0 && <span className="muted"> · {c.secrets_set.join(', ')} set</span>}
                  </td>
                  <td className="small">{c.deploy_events.join(', ') || '—'}</td>
                  <td className="row">
                    {canEdit && (
                      <>
                        <button className="btn btn-small" disabled={test.isPending} onClick={() => test.mutate(c.id)}>
                          Send test
                        </button>
                        <button className="btn btn-small btn-danger" onClick={() => window.confirm(`Remove the channel “${c.name}”?`) && remove.mutate(c.id)}>
                          Remove
                        </button>
                      </>
                    )}
                    {results[c.id] && <span className="small muted">{results[c.id]}</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <InlineError error={test.error ?? remove.error} />
      </section>
      <NewChannelDialog open={open} onClose={() => setOpen(false)} />
    </>
  );
}
