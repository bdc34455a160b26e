import { contracts, type Service } from '@syntra/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { InlineError } from '../../components/ui.js';
import { fieldErrors } from '../../lib/api-error.js';
import { call } from '../../lib/api-client.js';
import { useCan } from '../../lib/can.js';
import { projectKeys } from '../../lib/projects.js';
import { DomainClaims } from './DomainClaims.js';
import { dockerOnly, RuntimeSelect } from './RuntimeSelect.js';
import { VerifySettings, verifyBodyOf, verifyFormOf } from './VerifySettings.js';

const nullable = (v: string) => (v.trim() === '' ? null : v.trim());
const num = (v: string) => (v.trim() === '' ? null : Number(v));

/** The service's configuration: build, run, domains, health check and post-deploy verification. Read-only for roles that cannot change it. */
export function ServiceSettings({ service }: { service: Service }) {
  const canWrite = useCan('services.write');
  const client = useQueryClient();
  const [f, setF] = useState({
    git_branch: service.git_branch ?? '',
    build_context: service.build_context,
    dockerfile_path: service.dockerfile_path,
    start_command: service.start_command ?? '',
    port: service.port?.toString() ?? '',
    replicas: service.replicas.toString(),
    domains: service.domains.join('\n'),
    hc_path: service.health_check.path ?? '',
    hc_interval: service.health_check.interval_seconds.toString(),
    hc_timeout: service.health_check.timeout_seconds.toString(),
    hc_retries: service.health_check.retries.toString(),
    auto_deploy: service.auto_deploy,
    runtime: service.runtime,
  });
  const [verify, setVerify] = useState(() => verifyFormOf(service));
  const set = (k: keyof typeof f) => (e: { target: { value: string } }) => setF({ ...f, [k]: e.target.value });
  const save = useMutation({
    mutationFn: () =>
      call(contracts.patchServicesByServiceId, {
        params: { serviceId: service.id },
        body: {
          git_branch: nullable(f.git_branch),
          build_context: f.build_context,
          dockerfile_path: f.dockerfile_path,
          start_command: nullable(f.start_command),
          port: num(f.port),
          replicas: Number(f.replicas),
          domains: f.domains.split(/[\s,]+/).filter(Boolean),
          health_check: { path: nullable(f.hc_path), interval_seconds: Number(f.hc_interval), timeout_seconds: Number(f.hc_timeout), retries: Number(f.hc_retries) },
          auto_deploy: f.auto_deploy,
          runtime: dockerOnly(service.source_type) ? 'docker' : f.runtime,
          verify: verifyBodyOf(verify),
        },
      }),
    onSuccess: (updated) => {
      client.setQueryData(projectKeys.service(service.id), updated);
      // Saving domains may have claimed new ones for the organisation.
      void client.invalidateQueries({ queryKey: ['domains'] });
    },
  });
  const errors = fieldErrors(save.error);
  const input = (k: keyof typeof f, label: string, props: Record<string, unknown> = {}) => (
    <label className="field">
      <span>{label}</span>
      <input value={String(f[k])} onChange={set(k)} disabled={!canWrite} {...props} />
      {errors[k] && <small className="field-error">{errors[k]}</small>}
    </label>
  );
  return (
    <form
      className="settings-form"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <h3>Build</h3>
      <div className="form-grid">
        {input('git_branch', 'Branch (empty: the project’s)')}
        {input('build_context', 'Build context')}
        {service.source_type === 'dockerfile' && input('dockerfile_path', 'Dockerfile')}
      </div>
      <h3>Run</h3>
      <div className="form-grid">
        <RuntimeSelect value={f.runtime} source={service.source_type} onChange={(runtime) => setF({ ...f, runtime })} disabled={!canWrite} error={errors.runtime} />
        {input('start_command', 'Start command')}
        {input('port', 'Port', { type: 'number', min: 1, max: 65535 })}
        {input('replicas', 'Replicas', { type: 'number', min: 1, max: 20 })}
      </div>
      <h3>Domains</h3>
      <label className="field">
        <span>One per line</span>
        <textarea rows={3} value={f.domains} onChange={set('domains')} disabled={!canWrite} placeholder="app.example.com" />
        {errors.domains && <small className="field-error">{errors.domains}</small>}
      </label>
      <DomainClaims domains={service.domains} />
      <h3>Health check</h3>
      <div className="form-grid">
        {input('hc_path', 'HTTP path (empty: TCP only)', { placeholder: '/healthz' })}
        {input('hc_interval', 'Interval (s)', { type: 'number', min: 1 })}
        {input('hc_timeout', 'Timeout (s)', { type: 'number', min: 1 })}
        {input('hc_retries', 'Retries', { type: 'number', min: 1 })}
      </div>
      <label className="check">
        <input type="checkbox" checked={f.auto_deploy} disabled={!canWrite} onChange={(e) => setF({ ...f, auto_deploy: e.target.checked })} /> Deploy automatically on git push
      </label>
      <VerifySettings value={verify} onChange={setVerify} disabled={!canWrite} error={errors.verify} />
      <InlineError error={Object.keys(errors).length ? null : save.error} />
      {save.isSuccess && <p className="muted">Saved. The next deployment uses it.</p>}
      {canWrite && (
        <button className="btn btn-primary" disabled={save.isPending}>
          Save settings
        </button>
      )}
    </form>
  );
}
