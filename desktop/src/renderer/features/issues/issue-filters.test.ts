import { describe, expect, it } from 'vitest';
import { filtersFromParams, isNarrowed, withFilter } from './issue-filters.js';

describe('issue list filters in the URL', () => {
  it('opens on unresolved issues, last seen first', () => {
    const f = filtersFromParams(new URLSearchParams());
    expect(f).toMatchObject({ status: 'unresolved', sort: 'last_seen', period: '24h', q: '' });
    expect(isNarrowed(f)).toBe(false);
  });

  it('reads a shared link back into the same view and ignores values it does not know', () => {
    const f = filtersFromParams(new URLSearchParams('status=resolved&service=s1&environment=production&level=error&q=TypeError&sort=users&period=14d'));
    expect(f).toEqual({ status: 'resolved', serviceId: 's1', environment: 'production', release: null, level: 'error', q: 'TypeError', sort: 'users', period: '14d' });
    expect(filtersFromParams(new URLSearchParams('status=bogus&sort=random&level=loud'))).toMatchObject({ status: 'unresolved', sort: 'last_seen', level: null });
  });

  it('keeps defaults out of the address', () => {
    const p = withFilter(new URLSearchParams('q=boom'), 'sort', 'last_seen');
    expect(p.toString()).toBe('q=boom');
    expect(withFilter(p, 'q', '').toString()).toBe('');
    expect(withFilter(p, 'status', 'all').toString()).toBe('q=boom&status=all');
  });
});
