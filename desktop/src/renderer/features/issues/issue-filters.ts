import { ISSUE_LEVELS, type IssueLevel } from '@syntra/shared';

/** The list's filters and sort, kept in the URL so a view can be shared, bookmarked and reloaded. */
export const SORT_OPTIONS = [
  { id: 'last_seen', label: 'Last seen' },
  { id: 'first_seen', label: 'First seen' },
  { id: 'events', label: 'Events' },
  { id: 'users', label: 'Users' },
] as const;
export type IssueSort = (typeof SORT_OPTIONS)[number]['id'];

export const STATUS_FILTERS = [
  { id: 'unresolved', label: 'Unresolved' }, // open or regressed
  { id: 'regressed', label: 'Regressed' },
  { id: 'resolved', label: 'Resolved' },
  { id: 'ignored', label: 'Ignored' },
  { id: 'all', label: 'Any status' },
] as const;
export type StatusFilter = (typeof STATUS_FILTERS)[number]['id'];


export interface IssueFilters {
  status: StatusFilter;
  serviceId: string | null;
  environment: string | null;
  release: string | null;
  level: IssueLevel | null;
  q: string;
  sort: IssueSort;
  /** Which sparkline the rows show. */
  period: '24h' | '14d';
}

const DEFAULTS: IssueFilters = { status: 'unresolved', serviceId: null, environment: null, release: null, level: null, q: '', sort: 'last_seen', period: '24h' };

const URL_KEY: Record<keyof IssueFilters, string> = {
  status: 'status',
  serviceId: 'service',
  environment: 'environment',
  release: 'release',
  level: 'level',
  q: 'q',
  sort: 'sort',
  period: 'period',
};

function oneOf<T extends string>(values: readonly T[], v: string | null, fallback: T): T {
  return values.includes(v as T) ? (v as T) : fallback;
}

const clean = (v: string | null) => (v && v.trim() ? v.trim().slice(0, 200) : null);

export function filtersFromParams(p: URLSearchParams): IssueFilters {
  return {
    status: oneOf(STATUS_FILTERS.map((s) => s.id), p.get('status'), DEFAULTS.status),
    serviceId: clean(p.get('service')),
    environment: clean(p.get('environment')),
    release: clean(p.get('release')),
    level: oneOf([...ISSUE_LEVELS, ''] as const, p.get('level'), '') || null,
    q: (p.get('q') ?? '').slice(0, 200),
    sort: oneOf(SORT_OPTIONS.map((s) => s.id), p.get('sort'), DEFAULTS.sort),
    period: p.get('period') === '14d' ? '14d' : '24h',
  };
}

/** The URL with one filter changed; defaults are left out so the plain page has a plain address. */
export function withFilter<K extends keyof IssueFilters>(p: URLSearchParams, key: K, value: IssueFilters[K]): URLSearchParams {
  const next = new URLSearchParams(p);
  const name = URL_KEY[key];
  if (value === null || value === '' || value === DEFAULTS[key]) next.delete(name);
  else next.set(name, String(value));
  return next;
}

/** Whether anything narrows the list beyond the default view (the empty state then offers to clear). */
export function isNarrowed(f: IssueFilters): boolean {
  return f.serviceId !== null || f.environment !== null || f.release !== null || f.level !== null || f.q !== '' || f.status !== DEFAULTS.status;
}
