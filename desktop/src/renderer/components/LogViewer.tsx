import type { DeploymentLogLine } from '@syntra/shared';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, useState } from 'react';

const LINE = 18;

/**
 * A build/deploy log: virtualised (10k lines stay smooth), follows new lines while the user is at
 * the bottom and pauses when they scroll up, with search and download.
 */
export function LogViewer({ lines, onDownload, live }: { lines: DeploymentLogLine[]; onDownload: () => void; live: boolean }) {
  const [query, setQuery] = useState('');
  const [follow, setFollow] = useState(true);
  const scrollRef = useRef<HTMLDivElement>(null);
  const shown = useMemo(() => {
    const q = query.trim().toLowerCase();
    return q ? lines.filter((l) => l.line.toLowerCase().includes(q)) : lines;
  }, [lines, query]);
  const virtualizer = useVirtualizer({ count: shown.length, getScrollElement: () => scrollRef.current, estimateSize: () => LINE, overscan: 30 });

  useEffect(() => {
    if (follow && shown.length > 0) virtualizer.scrollToIndex(shown.length - 1, { align: 'end' });
  }, [shown.length, follow, virtualizer]);

  return (
    <div className="logs">
      <div className="logs-bar">
        <input type="search" aria-label="Search the log" placeholder="Search the log" value={query} onChange={(e) => setQuery(e.target.value)} />
        <span className="muted small">{query ? `${shown.length} of ${lines.length} lines` : `${lines.length} lines`}</span>
        {live && <span className="live-dot on">live</span>}
        {!follow && (
          <button className="btn btn-small" onClick={() => setFollow(true)}>
            Follow new lines
          </button>
        )}
        <button className="btn btn-small" onClick={onDownload}>
          Download
        </button>
      </div>
      <div
        className="logs-body"
        ref={scrollRef}
        data-testid="build-log"
        onScroll={(e) => {
          const el = e.currentTarget;
          const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight < LINE * 2;
          if (atBottom !== follow) setFollow(atBottom);
        }}
      >
        {shown.length === 0 && <div className="muted logs-empty">{query ? 'No line matches.' : 'No output yet.'}</div>}
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((item) => {
            const l = shown[item.index]!;
            return (
              <div key={l.seq} className={`log-line log-${l.stream}`} style={{ transform: `translateY(${item.start}px)`, height: LINE }}>
                <span className="log-ts">{l.ts.slice(11, 19)}</span>
                {l.line}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
