import { randomUUID } from 'node:crypto';
import { ALERT_RULE_KINDS } from '@syntra/shared';
import type { Logger } from '../../logger.js';
import type { AlertEngine } from './alert-engine.js';
import type { AlertsRepo } from './alerts.repo.js';
import type { EventCatchUp } from './catch-up.js';
import { WINDOWED_KINDS, evaluateWindowed } from './evaluators.js';
import type { AlertDataPorts } from './ports.js';

export interface EvaluatorOptions {
  intervalSeconds: number;
  /** How long a claimed rule stays this evaluator's without renewal: a dead evaluator's rules move after it. */
  leaseSeconds?: number | undefined;
  batch?: number | undefined;
  /** Rules evaluated at once (each holds a database connection while it reads). */
  concurrency?: number | undefined;
  id?: string | undefined;
  /** Told after each rule's evaluation with how late it ran (the bench's lag figures). */
  onEvaluated?: ((ruleId: string, lagMs: number) => void) | undefined;
  /** Reads what event kinds may have missed on the stream (their claimed rules, each pass). */
  catchUp?: Pick<EventCatchUp, 'rules'> | undefined;
}

/**
 * The scheduled side of alerting, one per worker process. Each tick claims the due rules (their
 * lease: one evaluator per rule at a time, see AlertsRepo.claimDue), evaluates the windowed kinds,
 * catches the event kinds up on their durable sources and promotes every claimed rule's pending
 * events whose hold has passed.
 */
export class AlertEvaluator {
  readonly id: string;
  private readonly leaseSeconds: number;
  private running: Promise<number> | null = null;

  constructor(
    private readonly repo: AlertsRepo,
    private readonly engine: AlertEngine,
    private readonly ports: AlertDataPorts,
    private readonly log: Logger,
    private readonly opts: EvaluatorOptions,
  ) {
    this.id = opts.id ?? `evaluator-${randomUUID()}`;
    this.leaseSeconds = opts.leaseSeconds ?? Math.max(3 * opts.intervalSeconds, 10);
  }

  /** Waits for a pass under way (shutdown: its database work must finish before the pool closes). */
  async idle(): Promise<void> {
    await this.running?.catch(() => undefined);
  }

  /** One pass over the due rules; returns how many were evaluated. Overlapping calls share the pass. */
  tick(): Promise<number> {
    this.running ??= this.pass().finally(() => (this.running = null));
    return this.running;
  }

  private async pass(): Promise<number> {
    const now = this.engine.now();
    const rules = await this.repo.claimDue(this.id, now, new Date(now.getTime() + this.leaseSeconds * 1000), ALERT_RULE_KINDS, this.opts.batch ?? 500);
    // Before the promotions below, so a missed event's pending alert is promoted in this same pass once due.
    await this.opts.catchUp?.rules(rules, now).catch((err: unknown) => this.log.warn({ err }, 'alert catch-up failed'));
    // A few rules at a time: an evaluation is mostly waiting on the stores, so one at a time leaves
    // the machine idle while due rules queue up (the bench's lag figures).
    let next = 0;
    const lane = async () => {
      while (next < rules.length) {
        const rule = rules[next++]!;
        try {
          if ((WINDOWED_KINDS as readonly string[]).includes(rule.kind)) {
            for (const o of await evaluateWindowed(rule, this.ports, now)) await this.engine.observe(rule, o);
          }
          await this.engine.promoteDue(rule);
        } catch (err) {
          this.log.warn({ err, rule_id: rule.id }, 'alert rule evaluation failed');
        }
        // Each rule keeps its own phase (due + interval), so rules made at different times stay spread
        // over the interval instead of all falling due together after one slow pass.
        const phase = rule.next_eval_at.getTime() + this.opts.intervalSeconds * 1000;
        await this.repo.evaluated(rule.id, this.id, now, new Date(phase > now.getTime() ? phase : now.getTime() + this.opts.intervalSeconds * 1000));
        this.opts.onEvaluated?.(rule.id, this.engine.now().getTime() - rule.next_eval_at.getTime());
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.opts.concurrency ?? 8, rules.length) }, lane));
    return rules.length;
  }
}
