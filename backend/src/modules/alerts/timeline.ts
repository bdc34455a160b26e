import type { DeploymentVerification, Timeline } from '@syntra/shared';
import type { AlertService } from './alerts.service.js';

type Entry = Timeline['entries'][number];

/** What the timeline reads from the modules that own the facts (given at construction). */
export interface TimelinePorts {
  assertService(orgId: string, serviceId: string): Promise<void>;
  deployments(orgId: string, serviceId: string): Promise<Array<{ id: string; status: string; created_at: string | null; finished_at: string | null; error_message: string | null; git_commit_sha: string | null; verification?: DeploymentVerification | null }>>;
  healthFailures(serviceId: string, from: Date, to: Date): Promise<Array<{ id: string; checked_at: string | null; status_code: number | null; error: string | null }>>;
  serverStatus(orgId: string, serverId: string): Promise<Array<{ status: string; previous_status: string | null; reason: string | null; at: string | null }>>;
}

const DAY_MS = 86_400_000;

function window(q: { from?: string | undefined; to?: string | undefined }, now: Date) {
  // `to` is exclusive: by default include what happened this very second.
  const to = q.to ? new Date(q.to) : new Date(now.getTime() + 1000);
  const from = q.from ? new Date(q.from) : new Date(to.getTime() - DAY_MS);
  return { from, to };
}

const inside = (at: string | null, from: Date, to: Date) => at !== null && Date.parse(at) >= from.getTime() && Date.parse(at) < to.getTime();

/**
 * The incident timeline (issue 14): one time axis per service or server of what is stored today:
 * deploys, alert events, failed health checks, offline/online. New issues and the error-rate and
 * latency series join when the error and telemetry modules are merged.
 */
export class TimelineService {
  constructor(
    private readonly alerts: AlertService,
    private readonly ports: TimelinePorts,
    /** Alerting's clock, so the default window and the events' times agree. */
    private readonly now: () => Date = () => new Date(),
  ) {}

  async forService(orgId: string, serviceId: string, q: { from?: string | undefined; to?: string | undefined }): Promise<Timeline> {
    await this.ports.assertService(orgId, serviceId);
    const { from, to } = window(q, this.now());
    const entries: Entry[] = [];
    for (const d of await this.ports.deployments(orgId, serviceId)) {
      const at = d.finished_at ?? d.created_at;
      if (!inside(at, from, to)) continue;
      entries.push({
        at: at!,
        kind: 'deploy',
        title: `Deploy ${d.git_commit_sha ? d.git_commit_sha.slice(0, 7) : d.id.slice(0, 8)} ${d.status}`,
        severity: d.status === 'failed' ? 'critical' : d.status === 'running' ? 'ok' : 'info',
        ref: { type: 'deployment', id: d.id },
        // Post-deploy verification (its status, reasons, values and an automatic rollback) travels with the deploy.
        detail: { status: d.status, error_message: d.error_message, verification: d.verification ?? null },
      });
    }
    for (const h of await this.ports.healthFailures(serviceId, from, to)) {
      entries.push({ at: h.checked_at!, kind: 'health_failed', title: `Health check failed${h.status_code ? ` (HTTP ${h.status_code})` : ''}`, severity: 'warning', ref: null, detail: { error: h.error, status_code: h.status_code } });
    }
    entries.push(...(await this.alertEntries(orgId, { serviceId }, from, to)));
    return this.answer(from, to, entries);
  }

  async forServer(orgId: string, serverId: string, q: { from?: string | undefined; to?: string | undefined }): Promise<Timeline> {
    const { from, to } = window(q, this.now());
    const entries: Entry[] = [];
    for (const s of await this.ports.serverStatus(orgId, serverId)) {
      if (!inside(s.at, from, to)) continue;
      entries.push({ at: s.at!, kind: 'server_status', title: `Server ${s.status}`, severity: s.status === 'offline' || s.status === 'error' ? 'critical' : s.status === 'online' ? 'ok' : 'info', ref: null, detail: { previous_status: s.previous_status, reason: s.reason } });
    }
    entries.push(...(await this.alertEntries(orgId, { serverId }, from, to)));
    return this.answer(from, to, entries);
  }

  private async alertEntries(orgId: string, where: { serviceId?: string; serverId?: string }, from: Date, to: Date): Promise<Entry[]> {
    const { items } = await this.alerts.listEvents(orgId, { limit: 200, from: from.toISOString(), to: to.toISOString() }, where);
    return items.map((e) => ({
      at: e.started_at!,
      kind: 'alert' as const,
      title: `${e.rule_name}: ${e.status}`,
      severity: e.status === 'resolved' ? ('ok' as const) : e.severity,
      ref: { type: 'alert_event', id: e.id },
      detail: { summary: e.summary, resolved_at: e.resolved_at, acknowledged_by: e.acknowledged_by },
    }));
  }

  private answer(from: Date, to: Date, entries: Entry[]): Timeline {
    entries.sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
    return { from: from.toISOString(), to: to.toISOString(), entries: entries.slice(0, 1000) };
  }
}
