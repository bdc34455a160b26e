import type { Service } from '@syntra/shared';

/** The form's state of the `verify` setting (strings as typed; `enabled` false saves null). */
export interface VerifyForm {
  enabled: boolean;
  minutes: string;
  max_error_rate_increase: string;
  max_p95_increase_pct: string;
  on_new_issues: boolean;
  auto_rollback: boolean;
}

export function verifyFormOf(service: Service): VerifyForm {
  const v = service.verify;
  return {
    enabled: v !== null,
    minutes: String(v?.minutes ?? 10),
    max_error_rate_increase: String(v?.max_error_rate_increase ?? 1),
    max_p95_increase_pct: String(v?.max_p95_increase_pct ?? 50),
    on_new_issues: v?.on_new_issues ?? true,
    auto_rollback: v?.auto_rollback ?? false,
  };
}

export function verifyBodyOf(f: VerifyForm) {
  if (!f.enabled) return null;
  return {
    minutes: Number(f.minutes),
    max_error_rate_increase: Number(f.max_error_rate_increase),
    max_p95_increase_pct: Number(f.max_p95_increase_pct),
    on_new_issues: f.on_new_issues,
    auto_rollback: f.auto_rollback,
  };
}

/** Post-deploy verification: after each deploy, the new version is compared with the previous one. */
export function VerifySettings({ value: f, onChange, disabled, error }: { value: VerifyForm; onChange: (f: VerifyForm) => void; disabled: boolean; error?: string | undefined }) {
  const num = (k: 'minutes' | 'max_error_rate_increase' | 'max_p95_increase_pct', label: string, props: Record<string, unknown>) => (
    <label className="field">
      <span>{label}</span>
      <input type="number" value={f[k]} onChange={(e) => onChange({ ...f, [k]: e.target.value })} disabled={disabled || !f.enabled} {...props} />
    </label>
  );
  return (
    <div data-testid="verify-settings">
      <h3>Post-deploy verification</h3>
      <label className="check">
        <input type="checkbox" checked={f.enabled} disabled={disabled} onChange={(e) => onChange({ ...f, enabled: e.target.checked })} /> Watch each new version after it goes live
      </label>
      <p className="muted small">
        For the given minutes, its error rate, p95 latency and new issues are compared with the previous version’s last hour; a regression marks the deployment
        “verification failed” and fires a “Deploy regressed” alert.
      </p>
      <div className="form-grid">
        {num('minutes', 'Minutes to watch', { min: 1, max: 1440, step: 1 })}
        {num('max_error_rate_increase', 'Allowed extra errors per minute', { min: 0, step: 'any' })}
        {num('max_p95_increase_pct', 'Allowed p95 increase (%)', { min: 0, step: 'any' })}
      </div>
      <label className="check">
        <input type="checkbox" checked={f.on_new_issues} disabled={disabled || !f.enabled} onChange={(e) => onChange({ ...f, on_new_issues: e.target.checked })} /> Fail on any issue first seen in the new version
      </label>
      <label className="check">
        <input type="checkbox" checked={f.auto_rollback} disabled={disabled || !f.enabled} onChange={(e) => onChange({ ...f, auto_rollback: e.target.checked })} /> Roll back to the previous deployment automatically
      </label>
      {error && <small className="field-error">{error}</small>}
    </div>
  );
}
