import type { Logger } from '../../logger.js';
import type { AlertsRepo } from './alerts.repo.js';
import type { AlertRuleRow } from './alerts.tables.js';
import type { AlertEventListener, SeenService } from './event-listener.js';
import type { AlertDataPorts } from './ports.js';

/** The event kinds and the durable record each one reads. */
export const CATCH_UP_KINDS = ['new_issue', 'issue_regressed', 'deploy_failed', 'deploy_succeeded', 'server_offline'] as const;
/** Re-read this much before the cursor: a record written in a transaction that committed after the last read has an earlier time. */
const OVERLAP_MS = 60_000;
/** The most deployments one read returns (DeploymentService.markers). */
const DEPLOYMENTS_PER_READ = 200;
/** Records older than this are history, not news: a worker down for a week does not page for all of it. */
const MAX_LOOKBACK_MS = 86_400_000;

/**
 * Event kinds without loss. The live path hears the console stream (Redis pub/sub), so an event
 * published while no evaluator listened is gone; on start and on each tick, the rules' durable
 * sources are read since their cursor (deployments' statuses, issues recorded or regressed, servers'
 * status changes) and observed through the listener's own methods. Nothing fires twice: a
 * deployment's or a new issue's occurrence key is the live path's own, and an open event of the
 * same subject (a regressed issue, an offline server) absorbs the repeat; re-reading the overlap is
 * therefore harmless.
 */
export class EventCatchUp {
  constructor(
    private readonly repo: AlertsRepo,
    private readonly listener: AlertEventListener,
    private readonly ports: AlertDataPorts,
    private readonly log: Logger,
  ) {}

  /** Every organisation's event rules (an evaluator starting: what happened while none listened). */
  async all(now: Date): Promise<void> {
    await this.rules(await this.repo.allEnabledRulesOfKind(CATCH_UP_KINDS), now);
  }

  /** Catches these rules up to `now` (rules of other kinds are ignored) and moves their cursors. */
  async rules(rules: readonly AlertRuleRow[], now: Date): Promise<void> {
    const byOrg = new Map<string, AlertRuleRow[]>();
    for (const r of rules) if ((CATCH_UP_KINDS as readonly string[]).includes(r.kind)) byOrg.set(r.org_id, [...(byOrg.get(r.org_id) ?? []), r]);
    for (const [orgId, list] of byOrg) {
      try {
        const readUpTo = await this.org(orgId, list, now);
        await this.repo.advanceCursor(list.map((r) => r.id), readUpTo);
      } catch (err) {
        this.log.warn({ err, org_id: orgId }, 'alert catch-up failed');
      }
    }
  }

  private since(rule: AlertRuleRow, now: Date): Date {
    const from = rule.event_cursor ? rule.event_cursor.getTime() - OVERLAP_MS : rule.created_at.getTime();
    return new Date(Math.max(from, now.getTime() - MAX_LOOKBACK_MS));
  }

  /** Observes what the organisation's records hold for these rules; returns how far they were read (`now` unless a read was cut at its limit). */
  private async org(orgId: string, rules: AlertRuleRow[], now: Date): Promise<Date> {
    let readUpTo = now;
    // One read per source for the organisation, from the earliest cursor; each rule then takes what is past its own.
    const earliest = (kinds: readonly string[]) => {
      const times = rules.filter((r) => kinds.includes(r.kind)).map((r) => this.since(r, now).getTime());
      return times.length ? new Date(Math.min(...times)) : null;
    };
    const services = new Map<string, Promise<(SeenService & { project_id: string; org_id: string }) | undefined>>();
    const service = (id: string) => {
      if (!services.has(id)) services.set(id, this.ports.serviceOf(id).then((s) => (s ? { ...s, id } : undefined)));
      return services.get(id)!;
    };
    const past = (rule: AlertRuleRow, at: string | Date) => new Date(at).getTime() >= this.since(rule, now).getTime();

    const issueSince = earliest(['new_issue', 'issue_regressed']);
    if (issueSince) {
      for (const i of await this.ports.catchUp.issues(orgId, issueSince, now)) {
        const s = await service(i.service_id);
        if (!s || s.org_id !== orgId) continue;
        const seen = { issue_id: i.id, project_id: i.project_id, title: i.title, culprit: i.culprit, level: i.level, environments: i.environments };
        for (const rule of rules) {
          if (rule.kind === 'new_issue' && past(rule, i.created_at)) await this.listener.observeIssue(rule, seen, s, `issue.created:${i.id}`);
          if (rule.kind === 'issue_regressed' && i.regressed_at && past(rule, i.regressed_at)) await this.listener.observeIssue(rule, seen, s, `issue.regressed:${i.id}:${i.regressed_at}`);
        }
      }
    }

    const deploySince = earliest(['deploy_failed', 'deploy_succeeded']);
    if (deploySince) {
      const all = await this.ports.catchUp.deployments(orgId, deploySince, now);
      // A full answer (oldest first) may have left newer deployments out: the next pass reads on from the last one.
      if (all.length >= DEPLOYMENTS_PER_READ) readUpTo = new Date(Math.min(readUpTo.getTime(), Date.parse(all.at(-1)!.at)));
      const rows = all.filter((d) => d.status === 'failed' || d.status === 'running');
      // Only a service's latest outcome resolves its failures: an older success re-read in the overlap must not resolve a newer failure.
      const latest = new Map<string, string>();
      for (const d of rows) latest.set(d.service_id, d.deployment_id);
      for (const d of rows) {
        const s = await service(d.service_id);
        if (!s || s.org_id !== orgId) continue;
        for (const rule of rules) {
          if (rule.kind !== 'deploy_failed' && rule.kind !== 'deploy_succeeded') continue;
          if (!past(rule, d.at)) continue;
          if (rule.kind === 'deploy_failed' && d.status === 'running' && latest.get(d.service_id) !== d.deployment_id) continue;
          await this.listener.observeDeploy(rule, { ...d, error_message: null }, s);
        }
      }
    }

    const serverSince = earliest(['server_offline']);
    if (serverSince) {
      // A server's latest change (they come newest first) decides: offline fires (after the hold), online resolves.
      const latest = new Map<string, { server_id: string; name: string; status: string; reason: string; at: Date }>();
      for (const e of await this.ports.catchUp.serverStatus(orgId, serverSince)) if ((e.status === 'offline' || e.status === 'online') && !latest.has(e.server_id)) latest.set(e.server_id, e);
      for (const e of latest.values()) {
        for (const rule of rules) {
          if (rule.kind === 'server_offline' && past(rule, e.at)) await this.listener.observeServer(rule, e, `offline:${e.server_id}:${e.at.toISOString()}`);
        }
      }
    }
    return readUpTo;
  }
}
