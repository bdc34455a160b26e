import { type LogRecord, SEVERITY_LEVELS, type SeverityLevel } from '@syntra/shared';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, useState } from 'react';
import { Link } from 'react-router';
import { EmptyState, ErrorState, Skeleton } from '../../components/ui.js';
import { onStreamEvent } from '../../lib/stream.js';
import { LogDetail } from './LogDetail.js';
import { matchesSearch, parseLogSearch, searchQuery } from './log-search.js';
import { useLogFacets, useLogs } from './queries.js';
import { TimeRangePicker } from './TimeRangePicker.js';
import { useTimeRange } from './time-range.js';

const LINE = 20;
/** Lines kept in the list at most (oldest dropped): 10k+ stay smooth, memory stays bounded. */
const MAX_LINES = 20_000;

type Row = { kind: 'line'; line: LogRecord; key: string } | { kind: 'skipped'; n: number; key: string };

const time = (iso: string) => iso.slice(11, 23);

/**
 * The log explorer (org-wide, or one service's): time range and search in the URL, severity facets
 * with counts, a virtualised list (oldest at the top, newest at the bottom), live tail that follows
 * new lines while at the bottom and pauses when scrolled up, a line's detail with its trace and context.
 */
export function LogExplorer({ serviceId, deploymentId }: { serviceId?: string; deploymentId?: string }) {
  const { range, setPreset, setFixed, refresh, params, update } = useTimeRange('1h');
  const text = params.get('q') ?? '';
  const [draft, setDraft] = useState(text);
  useEffect(() => setDraft(text), [text]);
  const facetSeverity = useMemo(() => (params.get('severity') ?? '').split(',').filter((s): s is SeverityLevel => (SEVERITY_LEVELS as readonly string[]).includes(s)), [params]);
  const search = useMemo(() => parseLogSearch(text), [text]);
  const filters = useMemo(
    () => ({ ...searchQuery(search, facetSeverity), service_id: serviceId, deployment_id: deploymentId ?? params.get('deployment_id') ?? undefined, trace_id: search.traceId ?? params.get('trace_id') ?? undefined }),
    [search, facetSeverity, serviceId, deploymentId, params],
  );
  const logs = useLogs(range, filters);
  const facets = useLogFacets(range, filters);
  const [live, setLive] = useState(params.get('live') === '1');
  const [tail, setTail] = useState<Row[]>([]);
  const [follow, setFollow] = useState(true);
  const [selected, setSelected] = useState<LogRecord | null>(null);
  const scrollRef = useRef<HTMLDivElement>(null);

  // A new search starts a new tail.
  useEffect(() => setTail([]), [filters, range.from, range.to]);

  useEffect(() => {
    if (!live) return;
    return onStreamEvent((event) => {
      if (event.type !== 'logs.tail') return;
      const data = event.data as { service_id: string | null; lines: LogRecord[]; skipped: number };
      if (serviceId && data.service_id !== serviceId) return;
      const lines = data.lines.filter((l) => matchesSearch(l, search, facetSeverity, serviceId) && (!filters.deployment_id || l.deployment_id === filters.deployment_id));
      if (lines.length === 0 && data.skipped === 0) return;
      setTail((prev) => {
        const added: Row[] = [];
        if (data.skipped > 0) added.push({ kind: 'skipped', n: data.skipped, key: `skip-${event.at}-${data.service_id}` });
        for (const l of lines) added.push({ kind: 'line', line: l, key: `tail-${l.id}-${prev.length + added.length}` });
        const next = [...prev, ...added];
        return next.length > MAX_LINES ? next.slice(next.length - MAX_LINES) : next;
      });
    });
  }, [live, serviceId, search, facetSeverity, filters.deployment_id]);

  const rows: Row[] = useMemo(() => {
    // Pages come newest first; the list reads top (old) to bottom (new), the tail after them.
    const stored = (logs.data?.pages ?? []).flatMap((p) => p.items);
    const history: Row[] = stored.map((l) => ({ kind: 'line' as const, line: l, key: l.id })).reverse();
    const all = [...history, ...tail];
    return all.length > MAX_LINES ? all.slice(all.length - MAX_LINES) : all;
  }, [logs.data, tail]);

  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scrollRef.current, estimateSize: () => LINE, overscan: 30 });
  useEffect(() => {
    if (follow && rows.length > 0) virtualizer.scrollToIndex(rows.length - 1, { align: 'end' });
  }, [rows.length, follow, virtualizer]);

  const setSeverity = (level: SeverityLevel) => {
    const next = facetSeverity.includes(level) ? facetSeverity.filter((s) => s !== level) : [...facetSeverity, level];
    update({ severity: next.join(',') || null });
  };

  return (
    <div className="log-explorer" data-testid="log-explorer">
      <form
        className="logs-bar"
        onSubmit={(e) => {
          e.preventDefault();
          update({ q: draft.trim() || null });
        }}
      >
        <input
          type="search"
          aria-label="Search logs"
          placeholder='Words, "phrases", key:value (level:error, trace:<id>, http.route:/api)'
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
        />
        <TimeRangePicker range={range} onPreset={setPreset} onFixed={setFixed} onRefresh={refresh} />
        <button
          type="button"
          className={`btn btn-small ${live ? 'btn-primary' : ''}`}
          aria-pressed={live}
          onClick={() => {
            setLive(!live);
            setFollow(true);
            update({ live: live ? null : '1' });
          }}
        >
          {live ? 'Live tail on' : 'Live tail'}
        </button>
      </form>
      <div className="facets" role="group" aria-label="Severity">
        {SEVERITY_LEVELS.map((level) => (
          <button key={level} type="button" className={`facet sev-${level} ${facetSeverity.includes(level) ? 'active' : ''}`} aria-pressed={facetSeverity.includes(level)} onClick={() => setSeverity(level)}>
            {level} <span className="muted">{facets.data ? facets.data.severity[level].toLocaleString() : '…'}</span>
          </button>
        ))}
        <span className="muted small facet-total">{facets.data ? `${facets.data.total.toLocaleString()} lines in range` : ''}</span>
        {filters.trace_id && (
          <span className="chip">
            trace {filters.trace_id.slice(0, 8)}…
            <button className="btn btn-ghost btn-small" aria-label="Any trace" onClick={() => update({ trace_id: null, q: text.replace(/\btrace(_id)?:\S+/g, '').trim() || null })}>
              ✕
            </button>
          </span>
        )}
      </div>
      {logs.isError ? (
        <ErrorState error={logs.error} retry={() => void logs.refetch()} />
      ) : logs.isPending ? (
        <Skeleton rows={8} />
      ) : (
        <>
          <div className="logs-bar small">
            {logs.hasNextPage ? (
              <button className="btn btn-small" disabled={logs.isFetchingNextPage} onClick={() => void logs.fetchNextPage()}>
                {logs.isFetchingNextPage ? 'Loading…' : 'Load older lines'}
              </button>
            ) : (
              <span className="muted">{rows.length === 0 ? '' : 'Start of the range'}</span>
            )}
            <span className="muted">{rows.length.toLocaleString()} lines shown</span>
            {live && <span className={`live-dot ${follow ? 'on' : ''}`}>{follow ? 'following' : 'paused'}</span>}
            {live && !follow && (
              <button className="btn btn-small" onClick={() => setFollow(true)}>
                Resume (jump to newest)
              </button>
            )}
          </div>
          <div
            className="logs-body"
            ref={scrollRef}
            data-testid="log-list"
            tabIndex={0}
            aria-label="Log lines (↑/↓ to move, Esc to close the line)"
            onKeyDown={(e) => {
              if (e.key === 'Escape') return setSelected(null);
              if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
              e.preventDefault();
              const at = selected ? rows.findIndex((r) => r.kind === 'line' && r.line.id === selected.id) : rows.length;
              for (let i = at + (e.key === 'ArrowDown' ? 1 : -1); i >= 0 && i < rows.length; i += e.key === 'ArrowDown' ? 1 : -1) {
                const row = rows[i]!;
                if (row.kind !== 'line') continue;
                setSelected(row.line);
                setFollow(false);
                virtualizer.scrollToIndex(i, { align: 'auto' });
                break;
              }
            }}
            onScroll={(e) => {
              const el = e.currentTarget;
              const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight < LINE * 2;
              if (atBottom !== follow) setFollow(atBottom);
            }}
          >
            {rows.length === 0 && (
              <EmptyState title={live ? 'Waiting for lines…' : 'No log lines match'}>
                {live ? 'New lines matching the search appear here as they are stored.' : 'Widen the time range, remove filters, or turn on live tail.'}
              </EmptyState>
            )}
            <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
              {virtualizer.getVirtualItems().map((item) => {
                const row = rows[item.index]!;
                if (row.kind === 'skipped')
                  return (
                    <div key={row.key} className="log-line log-skipped" style={{ transform: `translateY(${item.start}px)`, height: LINE }} data-testid="lines-skipped">
                      … {row.n.toLocaleString()} lines skipped (live tail is rate-capped; search the range to see them all)
                    </div>
                  );
                const l = row.line;
                return (
                  <div
                    key={row.key}
                    role="button"
                    tabIndex={-1}
                    className={`log-line log-row sev-${l.severity} ${selected?.id === l.id ? 'selected' : ''}`}
                    style={{ transform: `translateY(${item.start}px)`, height: LINE }}
                    onClick={() => setSelected(l)}
                    data-testid="log-line"
                  >
                    <span className="log-ts">{time(l.timestamp)}</span>
                    <span className={`log-sev sev-${l.severity}`}>{l.severity.toUpperCase().padEnd(5)}</span>
                    {!serviceId && <span className="log-svc">{l.service_name}</span>}
                    {l.body}
                  </div>
                );
              })}
            </div>
          </div>
        </>
      )}
      {selected && <LogDetail line={selected} serviceId={serviceId} onClose={() => setSelected(null)} />}
      {!serviceId && selected?.service_id && (
        <p className="small">
          <Link to={`/services/${selected.service_id}?tab=logs`}>Open {selected.service_name}'s logs</Link>
        </p>
      )}
    </div>
  );
}
