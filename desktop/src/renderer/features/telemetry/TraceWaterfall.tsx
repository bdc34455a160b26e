import type { Span } from '@syntra/shared';
import { useMemo, useState } from 'react';
import { formatMs, waterfall } from './waterfall.js';

/** Spans as bars on one time axis, nested by parent, errors marked, collapsible, the critical path highlighted. */
export function TraceWaterfall({ spans, selected, onSelect }: { spans: Span[]; selected: string | null; onSelect: (span: Span) => void }) {
  const [collapsed, setCollapsed] = useState<Set<string>>(new Set());
  const { rows, total } = useMemo(() => waterfall(spans, collapsed), [spans, collapsed]);
  const toggle = (id: string) =>
    setCollapsed((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const ticks = [0, 0.25, 0.5, 0.75, 1];
  return (
    <div className="waterfall" data-testid="trace-waterfall" role="tree" aria-label="Spans">
      <div className="wf-row wf-head">
        <div className="wf-name muted small">Span</div>
        <div className="wf-axis">
          {ticks.map((t) => (
            <span key={t} className="wf-tick muted small" style={{ left: `${t * 100}%` }}>
              {formatMs(total * t)}
            </span>
          ))}
        </div>
      </div>
      {rows.map((r) => {
        const left = total > 0 ? (r.offset / total) * 100 : 0;
        const width = total > 0 ? Math.max(0.3, (r.span.duration / total) * 100) : 100;
        return (
          <div
            key={r.span.span_id}
            role="treeitem"
            aria-level={r.depth + 1}
            aria-selected={selected === r.span.span_id}
            aria-expanded={r.childCount > 0 ? !collapsed.has(r.span.span_id) : undefined}
            tabIndex={0}
            className={`wf-row ${selected === r.span.span_id ? 'selected' : ''} ${r.error ? 'wf-error' : ''}`}
            data-testid="waterfall-span"
            data-depth={r.depth}
            data-critical={r.critical}
            onClick={() => onSelect(r.span)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') onSelect(r.span);
              if ((e.key === 'ArrowLeft' || e.key === 'ArrowRight') && r.childCount > 0) toggle(r.span.span_id);
            }}
          >
            <div className="wf-name" style={{ paddingLeft: `${r.depth * 14 + 4}px` }}>
              {r.childCount > 0 ? (
                <button
                  className="wf-toggle"
                  aria-label={collapsed.has(r.span.span_id) ? 'Expand' : 'Collapse'}
                  onClick={(e) => {
                    e.stopPropagation();
                    toggle(r.span.span_id);
                  }}
                >
                  {collapsed.has(r.span.span_id) ? '▸' : '▾'}
                </button>
              ) : (
                <span className="wf-toggle" />
              )}
              {r.error && <span className="wf-err-dot" title="Error" aria-label="error" />}
              <span className="wf-service muted small">{r.span.service_name}</span> {r.span.name}
            </div>
            <div className="wf-track">
              <div className={`wf-bar ${r.critical ? 'wf-critical' : ''} ${r.error ? 'wf-bar-error' : ''}`} style={{ left: `${left}%`, width: `${width}%` }} title={`${r.span.name}: ${formatMs(r.span.duration)}`} />
              <span className="wf-dur small" style={{ left: `${Math.min(left + width, 92)}%` }}>
                {formatMs(r.span.duration)}
              </span>
            </div>
          </div>
        );
      })}
      <p className="muted small wf-legend">
        <span className="wf-legend-critical" /> critical path · <span className="wf-err-dot" /> error · ←/→ collapse or expand
      </p>
    </div>
  );
}
