import { describe, expect, it } from 'vitest';
import { VerifySettingsSchema } from '@syntra/shared';
import { compare } from './compare.js';

const settings = VerifySettingsSchema.parse({ minutes: 10, max_error_rate_increase: 2, max_p95_increase_pct: 50 });
const quiet = { errorEvents: 60, minutes: 60, p95Ms: 100, requests: 1000 };

describe('post-deploy verification: the comparison', () => {
  it('passes a version no worse than the previous one, only once the window is complete', () => {
    const current = { errorEvents: 25, minutes: 10, p95Ms: 120, requests: 200, newIssues: 0 };
    expect(compare(settings, quiet, current, false)).toMatchObject({ status: 'pending', reasons: [] });
    expect(compare(settings, quiet, current, true)).toMatchObject({ status: 'passed', reasons: [], baselineRate: 1, projectedRate: 2.5 });
  });

  it('fails early when the events so far already exceed the allowed rate over the whole window', () => {
    // 31 events in the first minute of ten: at least 3.1/min, 2.1/min above the previous 1/min.
    const verdict = compare(settings, quiet, { errorEvents: 31, minutes: 1, p95Ms: null, requests: 0, newIssues: 0 }, false);
    expect(verdict.status).toBe('failed');
    expect(verdict.reasons[0]).toMatch(/Error rate rose by 2\.1\/min \(from 1\/min to 3\.1\/min/);
    // Exactly at the threshold is still fine.
    expect(compare(settings, quiet, { errorEvents: 30, minutes: 10, p95Ms: null, requests: 0, newIssues: 0 }, true).status).toBe('passed');
  });

  it('fails on a new issue unless on_new_issues is off', () => {
    const current = { errorEvents: 1, minutes: 2, p95Ms: null, requests: 0, newIssues: 2 };
    expect(compare(settings, quiet, current, false)).toMatchObject({ status: 'failed', reasons: ['2 new issues first seen in this version'] });
    expect(compare({ ...settings, on_new_issues: false }, quiet, current, false).status).toBe('pending');
  });

  it('judges p95 latency at the end, and only with enough requests on both sides', () => {
    const slow = { errorEvents: 0, minutes: 10, p95Ms: 151, requests: 50, newIssues: 0 };
    expect(compare(settings, quiet, slow, false).status).toBe('pending');
    const final = compare(settings, quiet, slow, true);
    expect(final.status).toBe('failed');
    expect(final.reasons).toEqual(['p95 latency rose by 51% (from 100 ms to 151 ms; at most +50% allowed)']);
    expect(compare(settings, quiet, { ...slow, p95Ms: 150 }, true).status).toBe('passed');
    expect(compare(settings, quiet, { ...slow, requests: 3 }, true).status).toBe('passed');
    expect(compare(settings, { ...quiet, p95Ms: null, requests: 0 }, slow, true).status).toBe('passed');
  });

  it('measures a short baseline as at least a minute (a previous version that served for seconds)', () => {
    const verdict = compare(settings, { errorEvents: 1, minutes: 0.2, p95Ms: null, requests: 0 }, { errorEvents: 0, minutes: 10, p95Ms: null, requests: 0, newIssues: 0 }, true);
    expect(verdict).toMatchObject({ status: 'passed', baselineRate: 1 });
  });
});
