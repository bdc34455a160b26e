import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';
import { ISSUE_LEVELS } from '@syntra/shared';
import { type IssueFilters, SORT_OPTIONS, STATUS_FILTERS, withFilter } from './issue-filters.js';

/** Status, level, environment, text and sort, written to the URL; the text waits for a pause in typing. */
export function IssueFilterBar({ filters, services }: { filters: IssueFilters; services?: { id: string; name: string }[] }) {
  const [params, setParams] = useSearchParams();
  const set = <K extends keyof IssueFilters>(key: K, value: IssueFilters[K]) => setParams(withFilter(params, key, value), { replace: true });
  const [q, setQ] = useState(filters.q);
  useEffect(() => setQ(filters.q), [filters.q]);
  useEffect(() => {
    if (q === filters.q) return;
    const t = setTimeout(() => setParams((p) => withFilter(p, 'q', q), { replace: true }), 300);
    return () => clearTimeout(t);
  }, [q, filters.q, setParams]);
  return (
    <div className="row filters issue-filters">
      <label className="field">
        <span>Status</span>
        <select value={filters.status} onChange={(e) => set('status', e.target.value as IssueFilters['status'])}>
          {STATUS_FILTERS.map((s) => (
            <option key={s.id} value={s.id}>
              {s.label}
            </option>
          ))}
        </select>
      </label>
      {services && (
        <label className="field">
          <span>Service</span>
          <select value={filters.serviceId ?? ''} onChange={(e) => set('serviceId', e.target.value || null)}>
            <option value="">All services</option>
            {services.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
      )}
      <label className="field">
        <span>Level</span>
        <select value={filters.level ?? ''} onChange={(e) => set('level', (e.target.value || null) as IssueFilters['level'])}>
          <option value="">Any level</option>
          {ISSUE_LEVELS.map((l) => (
            <option key={l} value={l}>
              {l}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>Environment</span>
        <input type="text" placeholder="any" size={12} defaultValue={filters.environment ?? ''} key={filters.environment ?? ''} onBlur={(e) => set('environment', e.target.value.trim() || null)} onKeyDown={(e) => e.key === 'Enter' && set('environment', e.currentTarget.value.trim() || null)} />
      </label>
      <label className="field">
        <span>Release</span>
        <input type="text" placeholder="any" size={10} defaultValue={filters.release ?? ''} key={`r${filters.release ?? ''}`} onBlur={(e) => set('release', e.target.value.trim() || null)} onKeyDown={(e) => e.key === 'Enter' && set('release', e.currentTarget.value.trim() || null)} />
      </label>
      <label className="field issue-search">
        <span>Search</span>
        <input type="search" placeholder="Title, culprit or message" value={q} onChange={(e) => setQ(e.target.value)} />
      </label>
      <label className="field">
        <span>Sort by</span>
        <select value={filters.sort} onChange={(e) => set('sort', e.target.value as IssueFilters['sort'])}>
          {SORT_OPTIONS.map((s) => (
            <option key={s.id} value={s.id}>
              {s.label}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}
