import type { DeploymentVerification, VerifySettings, VersionMeasure } from '@syntra/shared';
import type { Logger } from '../../logger.js';
import type { DeploymentRow } from '../deployments/index.js';
import { compare, type Sample } from './compare.js';
import type { VerificationPorts } from './ports.js';
import type { VerifyQueue } from './verification.jobs.js';

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

export interface VerificationOptions {
  /** How often a pending verification is measured again (SYNTRA_VERIFY_CHECK_SECONDS). */
  checkSeconds: number;
  now?: () => Date;
}

function measure(from: Date, to: Date, errorEvents: number, spans: { p95Ms: number; requests: number } | null): VersionMeasure & { sample: Sample } {
  const minutes = Math.max(0, to.getTime() - from.getTime()) / MINUTE_MS;
  const p95 = spans ? Math.round(spans.p95Ms * 100) / 100 : null;
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    error_events: errorEvents,
    error_rate_per_min: Math.round((errorEvents / Math.max(minutes, 1)) * 100) / 100,
    p95_ms: p95,
    requests: Math.round(spans?.requests ?? 0),
    sample: { errorEvents, minutes, p95Ms: spans?.p95Ms ?? null, requests: spans?.requests ?? 0 },
  };
}

const strip = ({ sample: _sample, ...m }: VersionMeasure & { sample: Sample }): VersionMeasure => m;

/**
 * Post-deploy verification (issue 14). A deployment that turns running on a service with a `verify`
 * setting gets a pending verification and a delayed check; each check compares the new version's
 * error rate, p95 latency and new issues with the previous version's last hour, and either schedules
 * the next check or concludes. A failure fires `deploy_regressed` and, with `auto_rollback`, rolls
 * back to the previous deployment through the deployments service (audited as automatic).
 */
export class VerificationService {
  private readonly now: () => Date;

  constructor(
    private readonly ports: VerificationPorts,
    private readonly queue: VerifyQueue,
    private readonly log: Logger,
    private readonly opts: VerificationOptions,
  ) {
    this.now = opts.now ?? (() => new Date());
  }

  /**
   * The deploy pipeline's live hook: starts verifying `d` if its service asks for it. A rollback is
   * not verified (it returns to a version that ran; verifying it could roll back in a loop), nor a
   * first deploy (nothing to compare with or return to).
   */
  async deploymentLive(d: DeploymentRow): Promise<void> {
    try {
      if (d.trigger_type === 'rollback' || !d.replaced_deployment_id || d.replaced_deployment_id === d.id) return;
      const service = await this.ports.service(d.service_id);
      if (!service?.verify) return;
      const previous = await this.ports.deployments.findById(d.replaced_deployment_id);
      if (!previous) return;
      const liveAt = d.status_changed_at ?? this.now();
      const previousLiveAt = previous.status === 'running' ? previous.status_changed_at : null;
      const baselineFrom = new Date(Math.max(liveAt.getTime() - HOUR_MS, previousLiveAt?.getTime() ?? 0));
      const settings: VerifySettings = service.verify;
      const started = await this.ports.deployments.setVerification(d.id, [null], {
        status: 'pending',
        previous_deployment_id: previous.id,
        started_at: liveAt.toISOString(),
        baseline_from: baselineFrom.toISOString(),
        ends_at: new Date(liveAt.getTime() + settings.minutes * MINUTE_MS).toISOString(),
        concluded_at: null,
        reasons: [],
        settings,
        measured: null,
        rollback: null,
      });
      if (started) await this.queue.schedule(d.id, 1, Math.min(this.opts.checkSeconds * 1000, settings.minutes * MINUTE_MS));
    } catch (err) {
      this.log.warn({ err, deployment_id: d.id }, 'post-deploy verification could not start');
    }
  }

  async close() {
    await this.queue.close();
  }

  /**
   * Belt and braces for checks whose job is gone (Redis flushed): a verification still pending a
   * minute past its end gets its final check here (the workers run this every minute).
   */
  async sweep(): Promise<void> {
    for (const id of await this.ports.deployments.overdueVerifications(new Date(this.now().getTime() - MINUTE_MS))) {
      await this.check(id, 0).catch((err: unknown) => this.log.warn({ err, deployment_id: id }, 'overdue verification check failed'));
    }
  }

  /** One check (a job). Idempotent: a retried or duplicated check concludes at most once. */
  async check(deploymentId: string, seq: number): Promise<void> {
    const d = await this.ports.deployments.findById(deploymentId);
    const v = d?.verification;
    if (!d || !v) return;
    const service = await this.ports.service(d.service_id);
    if (!service) return;
    if (v.status === 'failed') return this.afterFailure(d, v, service.org_id);
    if (v.status !== 'pending') return;
    if (d.status !== 'running' || service.current_deployment_id !== d.id) {
      await this.ports.deployments.setVerification(d.id, ['pending'], { ...v, status: 'cancelled', concluded_at: this.now().toISOString(), reasons: ['The deployment stopped serving before its verification ended'] });
      return;
    }
    const now = this.now();
    const liveAt = new Date(v.started_at);
    const endsAt = new Date(v.ends_at);
    // The last check waits a little past the end, so events of the window's last seconds are in the store.
    const concludeAt = endsAt.getTime() + Math.min(30_000, this.opts.checkSeconds * 1000);
    const final = now.getTime() >= concludeAt;
    const until = now.getTime() >= endsAt.getTime() ? endsAt : now;
    const orgId = service.org_id;
    const baselineFrom = new Date(v.baseline_from);
    const [baseErrors, baseSpans, curErrors, curSpans, newIssues] = await Promise.all([
      this.ports.errorEvents(orgId, d.service_id, baselineFrom, liveAt),
      this.ports.spanStats(orgId, d.service_id, baselineFrom, liveAt),
      this.ports.errorEvents(orgId, d.service_id, liveAt, until),
      this.ports.spanStats(orgId, d.service_id, liveAt, until),
      this.ports.newIssues(orgId, d.id),
    ]);
    const baseline = measure(baselineFrom, liveAt, baseErrors, baseSpans);
    const current = measure(liveAt, until, curErrors, curSpans);
    const verdict = compare(v.settings, baseline.sample, { ...current.sample, newIssues: newIssues.length }, final);
    const measured = { baseline: strip(baseline), current: strip(current), new_issue_ids: newIssues.slice(0, 50) };
    if (verdict.status === 'pending') {
      await this.ports.deployments.setVerification(d.id, ['pending'], { ...v, measured });
      await this.queue.schedule(d.id, seq + 1, Math.min(this.opts.checkSeconds * 1000, concludeAt - now.getTime()));
      return;
    }
    const failed = verdict.status === 'failed';
    const next: DeploymentVerification = {
      ...v,
      status: verdict.status,
      concluded_at: now.toISOString(),
      reasons: verdict.reasons,
      measured,
      rollback: failed && v.settings.auto_rollback ? { status: 'pending', deployment_id: null, error: null } : null,
    };
    const concluded = await this.ports.deployments.setVerification(d.id, ['pending'], next);
    if (!concluded) return; // another check concluded it
    this.log.info({ deployment_id: d.id, status: next.status, reasons: next.reasons }, 'post-deploy verification concluded');
    if (failed) await this.afterFailure(concluded, next, orgId);
    else await this.ports.alerts.passed(orgId, d.service_id);
  }

  /**
   * What a failure does: the alert (one event per deployment however often this runs) and the
   * automatic rollback (once: its deployment's id is recorded). Runs again on a retried check.
   */
  private async afterFailure(d: DeploymentRow, v: DeploymentVerification, orgId: string) {
    await this.ports.alerts.regressed(orgId, {
      deploymentId: d.id,
      serviceId: d.service_id,
      reasons: v.reasons,
      values: { deployment_id: d.id, previous_deployment_id: v.previous_deployment_id, reasons: v.reasons, auto_rollback: v.settings.auto_rollback, ...(v.measured ? { measured: v.measured } : {}) },
    });
    if (v.rollback?.status !== 'pending') return;
    const service = await this.ports.service(d.service_id);
    let rollback: NonNullable<DeploymentVerification['rollback']>;
    // A check that died after starting the rollback but before recording it: record that one.
    const made = v.concluded_at ? await this.ports.deployments.rollbackSince(d.service_id, v.previous_deployment_id, new Date(v.concluded_at)) : undefined;
    if (made) {
      rollback = { status: 'started', deployment_id: made.id, error: null };
    } else if (service?.current_deployment_id !== d.id) {
      rollback = { status: 'failed', deployment_id: null, error: 'Not rolled back: another deployment serves the service now' };
    } else {
      try {
        const reason = `Automatic rollback: post-deploy verification failed (${v.reasons.join('; ')})`.slice(0, 1000);
        const created = await this.ports.deployments.rollback(orgId, d.service_id, null, v.previous_deployment_id, { automatic: true, reason });
        rollback = { status: 'started', deployment_id: created.id, error: null };
      } catch (err) {
        rollback = { status: 'failed', deployment_id: null, error: err instanceof Error ? err.message.slice(0, 500) : 'The rollback could not start' };
      }
    }
    await this.ports.deployments.setVerification(d.id, ['failed'], { ...v, rollback });
    this.log.info({ deployment_id: d.id, rollback }, 'post-deploy verification: automatic rollback');
  }
}
