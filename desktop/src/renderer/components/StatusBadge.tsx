import type { DeploymentStatus, ServerStatus } from '@syntra/shared';

export const SERVER_STATUS_LABEL: Record<ServerStatus, string> = { online: 'Online', offline: 'Offline', updating: 'Updating', error: 'Error' };

export function ServerStatusBadge({ status }: { status: ServerStatus }) {
  return (
    <span className={`status status-${status}`} data-status={status}>
      <span className="status-dot" aria-hidden />
      {SERVER_STATUS_LABEL[status]}
    </span>
  );
}

const DEPLOY_TONE: Record<DeploymentStatus, string> = {
  queued: 'muted',
  building: 'info',
  pushing: 'info',
  deploying: 'info',
  running: 'ok',
  failed: 'bad',
  cancelled: 'muted',
  rolled_back: 'warn',
};

export function DeploymentStatusBadge({ status }: { status: string }) {
  return (
    <span className={`badge badge-${DEPLOY_TONE[status as DeploymentStatus] ?? 'muted'}`} data-status={status}>
      {status.replace('_', ' ')}
    </span>
  );
}
