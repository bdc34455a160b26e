import type { InfiniteData } from '@tanstack/react-query';
import { afterEach, describe, expect, it } from 'vitest';
import type { Issue } from '../features/issues/issue-types.js';
import { issueKeys, onIssueStreamEvent } from './issues.js';
import { queryClient } from './query-client.js';

const ID = '66666666-6666-4666-8666-666666666666';
const row = (over: Partial<Issue> = {}) =>
  ({ id: ID, status: 'unresolved', event_count: 3, user_count: 1, last_seen_at: '2026-12-01T10:00:00.000Z', assigned_to: null, stats_24h: [0, 1, 2], stats_14d: [0, 3], ...over }) as unknown as Issue;
const listKey = issueKeys.list('org', { status: 'unresolved', serviceId: null, environment: null, release: null, level: null, q: '', sort: 'last_seen' });

describe('issue stream events in the console cache', () => {
  afterEach(() => queryClient.clear());

  it('applies issue.updated to the cached list row and detail in place, new events in the last sparkline buckets', () => {
    queryClient.setQueryData<InfiniteData<{ items: Issue[]; next_cursor: null }>>(listKey, { pages: [{ items: [row()], next_cursor: null }], pageParams: [null] });
    queryClient.setQueryData(issueKeys.one(ID), row());
    onIssueStreamEvent('issue.updated', { issue_id: ID, service_id: ID, project_id: ID, status: 'regressed', event_count: 5, user_count: 2, last_seen_at: '2026-12-01T11:00:00.000Z', assigned_to: null });
    const cached = queryClient.getQueryData<InfiniteData<{ items: Issue[] }>>(listKey)!.pages[0]!.items[0]!;
    expect(cached).toMatchObject({ status: 'regressed', event_count: 5, user_count: 2, last_seen_at: '2026-12-01T11:00:00.000Z', stats_24h: [0, 1, 4], stats_14d: [0, 5] });
    expect(queryClient.getQueryData<Issue>(issueKeys.one(ID))).toMatchObject({ event_count: 5, stats_24h: [0, 1, 4] });
  });

  it('marks the lists stale when an issue is created (the new row has to come from the server)', () => {
    queryClient.setQueryData(listKey, { pages: [{ items: [], next_cursor: null }], pageParams: [null] });
    onIssueStreamEvent('issue.created', { issue_id: ID });
    expect(queryClient.getQueryState(listKey)?.isInvalidated).toBe(true);
  });
});
