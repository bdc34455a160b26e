import type { Deployment } from '@syntra/shared';

/** Build plus deploy time, as far as the deployment got ("—" before either phase has finished). */
export function deployDuration(d: Pick<Deployment, 'build_duration_ms' | 'deploy_duration_ms'>): string {
  if (d.build_duration_ms == null && d.deploy_duration_ms == null) return '—';
  return `${Math.round(((d.build_duration_ms ?? 0) + (d.deploy_duration_ms ?? 0)) / 1000)} s`;
}
