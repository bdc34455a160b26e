import { contracts } from '@syntra/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import type { NotificationRules } from '../../shared/ipc.js';
import { InlineError, PageHeader, Skeleton } from '../components/ui.js';
import { ErrorRetention } from '../features/issues/ErrorRetention.js';
import { call } from '../lib/api-client.js';
import { useCan } from '../lib/can.js';
import { desktop } from '../lib/platform.js';
import { keys, useOrgId } from '../lib/queries.js';
import { useSession } from '../lib/session.js';
import { type ThemePref, useTheme } from '../lib/theme.js';
import { AiSettingsCard } from '../features/ai/index.js';

function OrgSettings() {
  const orgId = useOrgId();
  const canEdit = useCan('org.update');
  const client = useQueryClient();
  const org = useQuery({ queryKey: keys.org(orgId ?? ''), queryFn: () => call(contracts.getOrgsByOrgId, { params: { orgId: orgId! } }), enabled: !!orgId });
  const [name, setName] = useState('');
  useEffect(() => setName(org.data?.name ?? ''), [org.data?.name]);
  const save = useMutation({
    mutationFn: () => call(contracts.patchOrgsByOrgId, { params: { orgId: orgId! }, body: { name } }),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: keys.org(orgId ?? '') });
      await client.invalidateQueries({ queryKey: keys.me });
    },
  });
  if (!org.data) return <Skeleton rows={2} />;
  return (
    <section className="card">
      <h2>Organisation</h2>
      <form
        className="stack"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        <label className="field">
          <span>Name</span>
          <input value={name} disabled={!canEdit} onChange={(e) => setName(e.target.value)} />
        </label>
        <p className="muted small">
          Slug <code>{org.data.slug}</code> · plan {org.data.plan}
        </p>
        <InlineError error={save.error} />
        {canEdit && (
          <button className="btn btn-primary" disabled={save.isPending || name === org.data.name}>
            Save
          </button>
        )}
      </form>
    </section>
  );
}

function NotificationSettings() {
  const [rules, setRules] = useState<NotificationRules | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    void desktop?.notifications.rules().then(setRules, setError);
  }, []);
  if (!desktop) return null;
  if (!rules) return <Skeleton rows={3} />;
  const update = (next: NotificationRules) => {
    setRules(next);
    desktop!.notifications.setRules(next).then(setRules, setError);
  };
  const toggles: [keyof Omit<NotificationRules, 'quiet_hours'>, string][] = [
    ['server_offline', 'A server goes offline'],
    ['server_online', 'A server comes back online'],
    ['deployment_failed', 'A deployment fails'],
    ['deployment_succeeded', 'A deployment succeeds'],
    ['issue_new', 'A new issue appears in production'],
    ['issue_regressed', 'A resolved issue comes back (regression)'],
  ];
  return (
    <section className="card">
      <h2>Desktop notifications</h2>
      {toggles.map(([key, label]) => (
        <label key={key} className="check">
          <input type="checkbox" checked={rules[key]} onChange={(e) => update({ ...rules, [key]: e.target.checked })} /> {label}
        </label>
      ))}
      <label className="check">
        <input type="checkbox" checked={rules.quiet_hours.enabled} onChange={(e) => update({ ...rules, quiet_hours: { ...rules.quiet_hours, enabled: e.target.checked } })} /> Quiet hours
      </label>
      {rules.quiet_hours.enabled && (
        <div className="row">
          <input type="time" aria-label="Quiet from" value={rules.quiet_hours.start} onChange={(e) => update({ ...rules, quiet_hours: { ...rules.quiet_hours, start: e.target.value } })} />
          <span>to</span>
          <input type="time" aria-label="Quiet until" value={rules.quiet_hours.end} onChange={(e) => update({ ...rules, quiet_hours: { ...rules.quiet_hours, end: e.target.value } })} />
        </div>
      )}
      <InlineError error={error} />
    </section>
  );
}

export default function SettingsPage() {
  const user = useSession((s) => s.user);
  const canAudit = useCan('audit.read');
  const pref = useTheme((s) => s.pref);
  const setTheme = useTheme((s) => s.set);
  return (
    <>
      <PageHeader
        title="Settings"
        subtitle={
          <>
            <Link to="/settings/tokens">Manage API tokens →</Link>
            {canAudit && (
              <>
                {' · '}
                <Link to="/settings/audit">Audit log →</Link>
              </>
            )}
          </>
        }
      />
      <section className="card">
        <h2>Profile</h2>
        {user ? (
          <dl className="facts">
            <dt>Name</dt>
            <dd>{user.name ?? '—'}</dd>
            <dt>Email</dt>
            <dd>
              {user.email} {user.email_verified ? '' : <span className="muted small">(not verified)</span>}
            </dd>
            <dt>Member since</dt>
            <dd>{new Date(user.created_at).toLocaleDateString()}</dd>
          </dl>
        ) : (
          <Skeleton rows={3} />
        )}
      </section>
      <section className="card">
        <h2>Appearance</h2>
        <div className="segmented" role="radiogroup" aria-label="Theme">
          {(['light', 'dark', 'system'] as ThemePref[]).map((t) => (
            <button key={t} role="radio" aria-checked={pref === t} className={pref === t ? 'active' : ''} onClick={() => setTheme(t)}>
              {t}
            </button>
          ))}
        </div>
      </section>
      <OrgSettings />
      <AiSettingsCard />
      <ErrorRetention />
      <NotificationSettings />
    </>
  );
}
