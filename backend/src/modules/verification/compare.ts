import type { VerifySettings } from '@syntra/shared';

/** A version's raw numbers in its window. */
export interface Sample {
  errorEvents: number;
  /** The window's length in minutes. */
  minutes: number;
  p95Ms: number | null;
  requests: number;
}

export interface Verdict {
  status: 'pending' | 'passed' | 'failed';
  reasons: string[];
  baselineRate: number;
  /** The new version's error rate over the whole verification window (the events so far over `settings.minutes`). */
  projectedRate: number;
}

/** Fewer requests than this in either window say nothing about latency. */
export const MIN_REQUESTS_FOR_P95 = 10;

/** Short windows are measured as at least a minute, so a few events in seconds do not read as a huge rate. */
const rate = (events: number, minutes: number) => events / Math.max(minutes, 1);

const round = (n: number) => Math.round(n * 100) / 100;

/**
 * The comparison of post-deploy verification. Error events only accumulate, so the events seen so
 * far over the full window are a floor of the final rate: once that floor is past the threshold the
 * regression is already clear and the check concludes early; likewise an issue first seen in the new
 * version. Latency is judged at the end (`final`), when the window is complete. Passing needs the end.
 */
export function compare(settings: VerifySettings, baseline: Sample, current: Sample & { newIssues: number }, final: boolean): Verdict {
  const reasons: string[] = [];
  const baselineRate = rate(baseline.errorEvents, baseline.minutes);
  const projectedRate = current.errorEvents / settings.minutes;
  const increase = projectedRate - baselineRate;
  if (increase > settings.max_error_rate_increase) {
    reasons.push(`Error rate rose by ${round(increase)}/min (from ${round(baselineRate)}/min to ${round(projectedRate)}/min; at most +${settings.max_error_rate_increase}/min allowed)`);
  }
  if (settings.on_new_issues && current.newIssues > 0) {
    reasons.push(`${current.newIssues} new issue${current.newIssues === 1 ? '' : 's'} first seen in this version`);
  }
  if (final && baseline.p95Ms !== null && current.p95Ms !== null && baseline.p95Ms > 0 && baseline.requests >= MIN_REQUESTS_FOR_P95 && current.requests >= MIN_REQUESTS_FOR_P95) {
    const pct = ((current.p95Ms - baseline.p95Ms) / baseline.p95Ms) * 100;
    if (pct > settings.max_p95_increase_pct) {
      reasons.push(`p95 latency rose by ${Math.round(pct)}% (from ${round(baseline.p95Ms)} ms to ${round(current.p95Ms)} ms; at most +${settings.max_p95_increase_pct}% allowed)`);
    }
  }
  const status = reasons.length > 0 ? 'failed' : final ? 'passed' : 'pending';
  return { status, reasons, baselineRate, projectedRate };
}
