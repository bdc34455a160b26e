import { type AlertRule, type AlertRuleKind, type AlertSeverity, ALERT_SEVERITIES, contracts } from '@syntra/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Badge, Dialog, EmptyState, ErrorState, InlineError, PageHeader, Skeleton, timeAgo } from '../../components/ui.js';
import { alertKeys, SEVERITY_TONE, useAlertRules, useChannels } from '../../lib/alerts.js';
import { call } from '../../lib/api-client.js';
import { useCan } from '../../lib/can.js';
import { useProjects } from '../../lib/projects.js';
import { useOrgId } from '../../lib/queries.js';
import { useServers } from '../../lib/servers.js';
import { AlertsTabs } from './AlertsTabs.js';
import { CONDITION_FORMS, conditionOf, KIND_LABELS, KINDS } from './rule-forms.js';

type ScopeKind = 'org' | 'server' | 'service' | 'project';

function scopeOf(rule: AlertRule | null): { kind: ScopeKind; id: string } {
  if (rule?.scope.server_id) return { kind: 'server', id: rule.scope.server_id };
  if (rule?.scope.service_id) return { kind: 'service', id: rule.scope.service_id };
  if (rule?.scope.project_id) return { kind: 'project', id: rule.scope.project_id };
  return { kind: 'org', id: '' };
}

/** The rule editor: common fields, then the chosen kind's condition form. */
function RuleEditor({ rule, open, onClose }: { rule: AlertRule | null; open: boolean; onClose: () => void }) {
  const orgId = useOrgId();
  const client = useQueryClient();
  const servers = useServers(orgId);
  const projects = useProjects(orgId);
  const channels = useChannels(orgId);
  const [name, setName] = useState(rule?.name ?? '');
  const [kind, setKind] = useState<AlertRuleKind>(rule?.kind ?? 'deploy_failed');
  const [severity, setSeverity] = useState<AlertSeverity>(rule?.severity ?? 'warning');
  const [scope, setScope] = useState(scopeOf(rule));
  const [forSeconds, setForSeconds] = useState(String(rule?.for_seconds ?? 0));
  const [cooldown, setCooldown] = useState(String(rule?.cooldown_seconds ?? 300));
  const [channelIds, setChannelIds] = useState<string[]>(rule?.channel_ids ?? []);
  const [values, setValues] = useState<Record<string, string>>(Object.fromEntries(Object.entries(rule?.condition ?? {}).map(([k, v]) => [k, String(v)])));
  const bodyOf = () => ({
    name: name || 'preview',
    kind,
    severity,
    scope: scope.kind === 'org' || !scope.id ? {} : { [`${scope.kind}_id`]: scope.id },
    for_seconds: Number(forSeconds) || 0,
    cooldown_seconds: Number(cooldown) || 0,
    channel_ids: channelIds,
    condition: conditionOf(kind, values),
    enabled: true,
  });
  const preview = useMutation({ mutationFn: () => call(contracts.postAlertRulesPreview, { body: bodyOf() }) });
  const save = useMutation({
    mutationFn: () => {
      const common = {
        name,
        severity,
        scope: scope.kind === 'org' || !scope.id ? {} : { [`${scope.kind}_id`]: scope.id },
        for_seconds: Number(forSeconds) || 0,
        cooldown_seconds: Number(cooldown) || 0,
        channel_ids: channelIds,
        condition: conditionOf(kind, values),
      };
      return rule ? call(contracts.patchAlertRulesByRuleId, { params: { ruleId: rule.id }, body: common }) : call(contracts.postAlertRules, { body: { ...common, kind, enabled: true } });
    },
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: alertKeys.all });
      onClose();
    },
  });
  const projectList = projects.data ?? [];
  return (
    <Dialog title={rule ? `Edit “${rule.name}”` : 'New alert rule'} open={open} onClose={onClose}>
      <form
        className="stack"
        data-testid="rule-editor"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        <label className="field">
          <span>Name</span>
          <input required maxLength={200} value={name} onChange={(e) => setName(e.target.value)} placeholder="API is down" />
        </label>
        <label className="field">
          <span>Kind</span>
          <select value={kind} disabled={!!rule} onChange={(e) => setKind(e.target.value as AlertRuleKind)} aria-label="Kind">
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {KIND_LABELS[k]}
              </option>
            ))}
          </select>
        </label>
        {CONDITION_FORMS[kind].map((f) => (
          <label className="field" key={`${kind}.${f.key}`}>
            <span>
              {f.label}
              {f.help && <span className="muted small"> — {f.help}</span>}
            </span>
            {f.type === 'select' ? (
              <select aria-label={f.label} value={values[f.key] ?? ''} onChange={(e) => setValues({ ...values, [f.key]: e.target.value })} required={f.required}>
                {!f.required && <option value="">—</option>}
                {f.required && !values[f.key] && <option value="">choose…</option>}
                {(f.options ?? []).filter(Boolean).map((o) => (
                  <option key={o} value={o}>
                    {o}
                  </option>
                ))}
              </select>
            ) : (
              <input aria-label={f.label} type={f.type} step="any" required={f.required} maxLength={500} value={values[f.key] ?? ''} onChange={(e) => setValues({ ...values, [f.key]: e.target.value })} />
            )}
          </label>
        ))}
        <div className="row">
          <label className="field">
            <span>Scope</span>
            <select aria-label="Scope" value={scope.kind} onChange={(e) => setScope({ kind: e.target.value as ScopeKind, id: '' })}>
              <option value="org">Whole organisation</option>
              <option value="server">A server</option>
              <option value="project">A project</option>
              <option value="service">A service</option>
            </select>
          </label>
          {scope.kind === 'server' && (
            <label className="field">
              <span>Server</span>
              <select aria-label="Server" required value={scope.id} onChange={(e) => setScope({ ...scope, id: e.target.value })}>
                <option value="">choose…</option>
                {(servers.data ?? []).map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name}
                  </option>
                ))}
              </select>
            </label>
          )}
          {scope.kind === 'project' && (
            <label className="field">
              <span>Project</span>
              <select aria-label="Project" required value={scope.id} onChange={(e) => setScope({ ...scope, id: e.target.value })}>
                <option value="">choose…</option>
                {projectList.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}
                  </option>
                ))}
              </select>
            </label>
          )}
          {scope.kind === 'service' && (
            <label className="field">
              <span>Service id</span>
              <input aria-label="Service id" required maxLength={36} value={scope.id} onChange={(e) => setScope({ ...scope, id: e.target.value.trim() })} placeholder="from the service's page" />
            </label>
          )}
        </div>
        <div className="row">
          <label className="field">
            <span>Severity</span>
            <select aria-label="Severity" value={severity} onChange={(e) => setSeverity(e.target.value as AlertSeverity)}>
              {ALERT_SEVERITIES.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>Pending for (s)</span>
            <input aria-label="Pending for" type="number" min={0} max={86400} value={forSeconds} onChange={(e) => setForSeconds(e.target.value)} />
          </label>
          <label className="field">
            <span>Cooldown (s)</span>
            <input aria-label="Cooldown" type="number" min={0} max={604800} value={cooldown} onChange={(e) => setCooldown(e.target.value)} />
          </label>
        </div>
        <fieldset className="field">
          <legend>Notify</legend>
          {(channels.data?.items ?? []).length === 0 && <span className="muted small">No channels yet: the console, the bell and the desktop app are told anyway.</span>}
          {(channels.data?.items ?? []).map((c) => (
            <label key={c.id} className="check">
              <input type="checkbox" checked={channelIds.includes(c.id)} onChange={(e) => setChannelIds(e.target.checked ? [...channelIds, c.id] : channelIds.filter((x) => x !== c.id))} /> {c.name}{' '}
              <span className="muted small">{c.kind}</span>
            </label>
          ))}
        </fieldset>
        <div className="row">
          <button type="button" className="btn" data-testid="preview-rule" disabled={preview.isPending} onClick={() => preview.mutate()}>
            Preview last 24 h
          </button>
          {preview.data && (
            <span className="small" data-testid="rule-preview">
              {preview.data.supported
                ? `Would have fired ${preview.data.firings} time${preview.data.firings === 1 ? '' : 's'} (held in ${preview.data.active_evaluations} of ${preview.data.evaluations} checks, every ${Math.round(preview.data.step_seconds / 60)} min)`
                : preview.data.note}
              {preview.data.supported && preview.data.note ? ` — ${preview.data.note}` : ''}
            </span>
          )}
        </div>
        <InlineError error={preview.error ?? save.error} />
        <button className="btn btn-primary" disabled={save.isPending}>
          {rule ? 'Save rule' : 'Create rule'}
        </button>
      </form>
    </Dialog>
  );
}

/** Alert rules: what fires, where it goes. */
export default function AlertRulesPage() {
  const orgId = useOrgId();
  const rules = useAlertRules(orgId);
  const canEdit = useCan('alerts.write');
  const client = useQueryClient();
  const [editing, setEditing] = useState<AlertRule | null | 'new'>(null);
  const toggle = useMutation({
    mutationFn: (r: AlertRule) => call(contracts.patchAlertRulesByRuleId, { params: { ruleId: r.id }, body: { enabled: !r.enabled } }),
    onSuccess: () => client.invalidateQueries({ queryKey: alertKeys.all }),
  });
  const remove = useMutation({
    mutationFn: (r: AlertRule) => call(contracts.deleteAlertRulesByRuleId, { params: { ruleId: r.id } }),
    onSuccess: () => client.invalidateQueries({ queryKey: alertKeys.all }),
  });
  return (
    <>
      <PageHeader
        title="Alert rules"
        subtitle="Conditions over deploys, servers, health checks, metrics, logs and errors; each fires to the console, your desktop and the channels it names."
        actions={
          canEdit && (
            <button className="btn btn-primary" data-testid="new-rule" onClick={() => setEditing('new')}>
              New rule
            </button>
          )
        }
      />
      <AlertsTabs />
      <section className="card">
        {rules.isPending && <Skeleton rows={3} />}
        {rules.isError && <ErrorState error={rules.error} retry={() => void rules.refetch()} />}
        {rules.data?.items.length === 0 && <EmptyState title="No alert rules yet">Start with “Deploy failed” or “Server offline”: they fire within seconds.</EmptyState>}
        {rules.data && rules.data.items.length > 0 && (
          <table className="table" data-testid="alert-rules">
            <thead>
              <tr>
                <th>Name</th>
                <th>Kind</th>
                <th>Severity</th>
                <th>Last evaluated</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {rules.data.items.map((r) => (
                <tr key={r.id}>
                  <td>
                    {r.name} {!r.enabled && <Badge tone="muted">disabled</Badge>}
                  </td>
                  <td className="small">{KIND_LABELS[r.kind]}</td>
                  <td>
                    <Badge tone={SEVERITY_TONE[r.severity]}>{r.severity}</Badge>
                  </td>
                  <td className="muted small">{r.last_evaluated_at ? timeAgo(r.last_evaluated_at) : '—'}</td>
                  <td className="row">
                    {canEdit && (
                      <>
                        <button className="btn btn-small" onClick={() => setEditing(r)}>
                          Edit
                        </button>
                        <button className="btn btn-small" onClick={() => toggle.mutate(r)}>
                          {r.enabled ? 'Disable' : 'Enable'}
                        </button>
                        <button className="btn btn-small btn-danger" onClick={() => window.confirm(`Delete the rule “${r.name}” and its events?`) && remove.mutate(r)}>
                          Delete
                        </button>
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <InlineError error={toggle.error ?? remove.error} />
      </section>
      {editing !== null && <RuleEditor key={editing === 'new' ? 'new' : editing.id} rule={editing === 'new' ? null : editing} open onClose={() => setEditing(null)} />}
    </>
  );
}
