import type { IssueStatus } from '@syntra/shared';
import type { ErrorGroupRow } from './errors.tables.js';

/** The part of an issue's state that new events may change. */
export type IssueState = Pick<
  ErrorGroupRow,
  'status' | 'resolved_at' | 'resolve_in_next_release' | 'resolved_in_release' | 'ignored_until_at' | 'ignored_until_count' | 'status_changed_at'
>;

/** What matters of one new event for the issue's state. */
export interface EventFacts {
  timestamp: Date;
  release: string | null;
}

/**
 * Whether this event brings a resolved issue back. Resolved "in the next release": only an event
 * of a newer release, i.e. neither the one current when it was resolved nor one the issue had
 * already seen by then (`oldReleases`: old code still running somewhere); events without a release
 * say nothing. Plainly resolved: any event after the resolve.
 */
export function regresses(state: IssueState, e: EventFacts, oldReleases: ReadonlySet<string> = new Set()): boolean {
  if (state.status !== 'resolved') return false;
  if (state.resolve_in_next_release) return e.release !== null && e.release !== state.resolved_in_release && !oldReleases.has(e.release);
  return !state.resolved_at || e.timestamp.getTime() > state.resolved_at.getTime();
}

/** Whether an ignored issue comes back: its time has passed or it reached its event count. */
export function ignoreEnds(state: IssueState, eventCount: number, now: Date): boolean {
  if (state.status !== 'ignored') return false;
  if (state.ignored_until_at && now.getTime() >= state.ignored_until_at.getTime()) return true;
  return state.ignored_until_count !== null && eventCount >= state.ignored_until_count;
}

export interface StateChange {
  next: IssueState;
  /** `regressed`: announce it; `reopened`: an ignore ran out. */
  transition: 'regressed' | 'reopened' | null;
}

/** Only the state columns of a row (rows carry everything else too). */
export function stateOf(row: IssueState): IssueState {
  const { status, resolved_at, resolve_in_next_release, resolved_in_release, ignored_until_at, ignored_until_count, status_changed_at } = row;
  return { status, resolved_at, resolve_in_next_release, resolved_in_release, ignored_until_at, ignored_until_count, status_changed_at };
}

/** The state after a batch of new events (the issue row is locked by the caller). */
export function afterEvents(row: IssueState, events: readonly EventFacts[], eventCount: number, now: Date, oldReleases: ReadonlySet<string> = new Set()): StateChange {
  const state = stateOf(row);
  if (state.status === 'resolved' && events.some((e) => regresses(state, e, oldReleases))) {
    return { next: { ...cleared(state), status: 'regressed', status_changed_at: now }, transition: 'regressed' };
  }
  if (ignoreEnds(state, eventCount, now)) {
    return { next: { ...cleared(state), status: 'unresolved', status_changed_at: now }, transition: 'reopened' };
  }
  return { next: state, transition: null };
}

function cleared(state: IssueState): IssueState {
  return { ...state, resolved_at: null, resolve_in_next_release: false, resolved_in_release: null, ignored_until_at: null, ignored_until_count: null };
}

/** The state a user's change asks for (PATCH): resolving remembers the release it applies to. */
export function afterChange(
  current: IssueState & { event_count: number; last_release: string | null },
  change: { status: Exclude<IssueStatus, 'regressed'>; resolveInNextRelease?: boolean | undefined; ignoreUntilAt?: Date | undefined; ignoreUntilEvents?: number | undefined },
  now: Date,
): IssueState {
  const base = { ...cleared(stateOf(current)), status: change.status, status_changed_at: change.status === current.status ? current.status_changed_at : now };
  if (change.status === 'resolved') {
    const next = change.resolveInNextRelease ?? false;
    return { ...base, resolved_at: now, resolve_in_next_release: next, resolved_in_release: next ? current.last_release : null };
  }
  if (change.status === 'ignored') {
    return {
      ...base,
      ignored_until_at: change.ignoreUntilAt ?? null,
      ignored_until_count: change.ignoreUntilEvents !== undefined ? current.event_count + change.ignoreUntilEvents : null,
    };
  }
  return base;
}
