import type { Server } from '@syntra/shared';
import type { LiveSnapshot } from '../../shared/ipc.js';
import { useConnection } from './connection.js';
import { followIssueAlerts, recentIssueAlerts } from './issue-alerts.js';
import { desktop } from './platform.js';
import { queryClient } from './query-client.js';
import { serverKeys } from './servers.js';
import { useSession } from './session.js';

interface DeploymentLike {
  id: string;
  status: LiveSnapshot['deployments'][number]['status'];
  service_name?: string;
  service_id?: string;
}

/** Builds the snapshot main needs for the tray and notifications from what the console already has. */
export function liveSnapshot(): LiveSnapshot {
  const orgId = useSession.getState().orgId ?? '';
  const { online, streamConnected } = useConnection.getState();
  const servers = queryClient.getQueryData<Server[]>(serverKeys.list(orgId)) ?? [];
  const deployments = queryClient.getQueryData<DeploymentLike[]>(['deployments', 'recent', orgId]) ?? [];
  return {
    connected: online && streamConnected,
    servers: servers.map((s) => ({ id: s.id, name: s.name, status: s.status })),
    deployments: deployments.slice(0, 100).map((d) => ({ id: d.id, service_name: d.service_name ?? 'service', status: d.status, path: `/deployments/${d.id}` })),
    issues: recentIssueAlerts(),
  };
}

/** Desktop only: reports the live snapshot to main whenever it may have changed (at most once a second). */
export function reportLiveToDesktop(): () => void {
  if (!desktop) return () => undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastJson = '';
  const schedule = () => {
    if (timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      const snapshot = liveSnapshot();
      const json = JSON.stringify(snapshot);
      if (json === lastJson) return;
      lastJson = json;
      void desktop!.live.report(snapshot).catch(() => undefined);
    }, 1000);
  };
  const unsubCache = queryClient.getQueryCache().subscribe(schedule);
  const unsubConn = useConnection.subscribe(schedule);
  const unsubIssues = followIssueAlerts(schedule);
  schedule();
  return () => {
    clearTimeout(timer);
    unsubCache();
    unsubConn();
    unsubIssues();
  };
}
