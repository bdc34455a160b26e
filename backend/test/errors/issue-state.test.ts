import { describe, expect, it } from 'vitest';
import { deploymentAt, releaseMatches } from '../../src/modules/errors/deploy-link.js';
import { afterChange, afterEvents, type IssueState } from '../../src/modules/errors/issue-state.js';

const base: IssueState = {
  status: 'unresolved', resolved_at: null, resolve_in_next_release: false, resolved_in_release: null,
  ignored_until_at: null, ignored_until_count: null, status_changed_at: null,
};
const t = (iso: string) => new Date(iso);
const now = t('2026-12-01T12:00:00Z');

describe('issue state after events', () => {
  it('resolved: a later event regresses, a late-arriving older one does not', () => {
    const resolved = { ...base, status: 'resolved' as const, resolved_at: t('2026-12-01T11:00:00Z') };
    expect(afterEvents(resolved, [{ timestamp: t('2026-12-01T10:59:00Z'), release: null }], 5, now).transition).toBeNull();
    const after = afterEvents(resolved, [{ timestamp: t('2026-12-01T11:01:00Z'), release: null }], 5, now);
    expect(after.transition).toBe('regressed');
    expect(after.next).toMatchObject({ status: 'regressed', resolved_at: null, status_changed_at: now });
  });

  it('resolved in next release: the same, an older or no release keep it resolved; a newer one regresses', () => {
    const r = { ...base, status: 'resolved' as const, resolved_at: t('2026-12-01T11:00:00Z'), resolve_in_next_release: true, resolved_in_release: 'v2' };
    const ev = (release: string | null) => [{ timestamp: t('2026-12-01T11:30:00Z'), release }];
    expect(afterEvents(r, ev('v2'), 1, now).transition).toBeNull();
    expect(afterEvents(r, ev(null), 1, now).transition).toBeNull();
    expect(afterEvents(r, ev('v1'), 1, now, new Set(['v1'])).transition).toBeNull();
    expect(afterEvents(r, ev('v3'), 1, now).transition).toBe('regressed');
  });

  it('ignored: stays ignored until its time or its event count', () => {
    const ignored = { ...base, status: 'ignored' as const, ignored_until_count: 10 };
    expect(afterEvents(ignored, [{ timestamp: now, release: null }], 9, now).next.status).toBe('ignored');
    expect(afterEvents(ignored, [{ timestamp: now, release: null }], 10, now)).toMatchObject({ transition: 'reopened', next: { status: 'unresolved', ignored_until_count: null } });
    const until = { ...base, status: 'ignored' as const, ignored_until_at: t('2026-12-01T11:59:00Z') };
    expect(afterEvents(until, [{ timestamp: now, release: null }], 1, now).next.status).toBe('unresolved');
    expect(afterEvents({ ...base, status: 'ignored' }, [{ timestamp: now, release: null }], 1_000_000, now).next.status).toBe('ignored');
  });

  it('a user change: resolving in the next release remembers the current release; ignoring for N counts from now', () => {
    const current = { ...base, event_count: 7, last_release: 'v5' };
    expect(afterChange(current, { status: 'resolved', resolveInNextRelease: true }, now)).toMatchObject({ status: 'resolved', resolved_at: now, resolve_in_next_release: true, resolved_in_release: 'v5' });
    expect(afterChange(current, { status: 'ignored', ignoreUntilEvents: 3 }, now)).toMatchObject({ status: 'ignored', ignored_until_count: 10 });
    expect(afterChange({ ...current, status: 'resolved', resolved_at: now }, { status: 'unresolved' }, now)).toMatchObject({ status: 'unresolved', resolved_at: null });
  });
});

describe('deploy links', () => {
  const timeline = [
    { id: 'd3', serviceId: 's', commitSha: 'cccccccccccccccccccccccccccccccccccccccc', liveAt: t('2026-12-01T11:00:00Z') },
    { id: 'd2', serviceId: 's', commitSha: 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb', liveAt: t('2026-12-01T10:00:00Z') },
    { id: 'd1', serviceId: 's', commitSha: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', liveAt: t('2026-12-01T09:00:00Z') },
  ];
  it('a release naming a commit (full, short, name@sha) picks that deployment', () => {
    expect(releaseMatches('bbbbbbb', timeline[1]!.commitSha)).toBe(true);
    expect(releaseMatches('shop@bbbbbbbbbbbb', timeline[1]!.commitSha)).toBe(true);
    expect(releaseMatches('1.2.3', timeline[1]!.commitSha)).toBe(false);
    expect(deploymentAt(timeline, t('2026-12-01T11:30:00Z'), 'shop@bbbbbbbb')).toBe('d2');
  });
  it('otherwise the deployment live at the event time; none before the first', () => {
    expect(deploymentAt(timeline, t('2026-12-01T10:30:00Z'), '1.2.3')).toBe('d2');
    expect(deploymentAt(timeline, t('2026-12-01T11:30:00Z'), null)).toBe('d3');
    expect(deploymentAt(timeline, t('2026-12-01T08:00:00Z'), null)).toBeNull();
  });
});
