import type { Span } from '@syntra/shared';

export interface WaterfallRow {
  span: Span;
  depth: number;
  /** Milliseconds from the trace's first span start. */
  offset: number;
  childCount: number;
  critical: boolean;
  error: boolean;
}

const startMs = (s: Span) => Number(BigInt(s.start_ns) / 1000n) / 1000;
const isError = (s: Span) => s.status.code === 'Error' || s.status.code === 'STATUS_CODE_ERROR';

/**
 * Spans as waterfall rows: nested under their parents (a span whose parent is missing is a root),
 * siblings in start order, the collapsed spans' descendants left out. The critical path is what
 * the trace waited on: from each root, the child that finished last, then the child that finished
 * last before that one started, and so on down.
 */
export function waterfall(spans: readonly Span[], collapsed: ReadonlySet<string>): { rows: WaterfallRow[]; total: number } {
  if (spans.length === 0) return { rows: [], total: 0 };
  const byId = new Map(spans.map((s) => [s.span_id, s]));
  const children = new Map<string, Span[]>();
  const roots: Span[] = [];
  for (const s of spans) {
    if (s.parent_span_id && byId.has(s.parent_span_id) && s.parent_span_id !== s.span_id) {
      const list = children.get(s.parent_span_id) ?? [];
      list.push(s);
      children.set(s.parent_span_id, list);
    } else roots.push(s);
  }
  const t0 = Math.min(...spans.map(startMs));
  const end = (s: Span) => startMs(s) + s.duration;
  const total = Math.max(...spans.map(end)) - t0;

  const critical = new Set<string>();
  const walk = (s: Span, seen: Set<string>) => {
    if (seen.has(s.span_id)) return;
    seen.add(s.span_id);
    critical.add(s.span_id);
    let cursor = end(s);
    for (const c of [...(children.get(s.span_id) ?? [])].sort((a, b) => end(b) - end(a))) {
      if (end(c) <= cursor + 1e-6) {
        walk(c, seen);
        cursor = startMs(c);
      }
    }
  };
  for (const r of roots) walk(r, new Set());

  const rows: WaterfallRow[] = [];
  const visit = (s: Span, depth: number, seen: Set<string>) => {
    if (seen.has(s.span_id)) return; // a cycle in bad data must not hang the page
    seen.add(s.span_id);
    const kids = [...(children.get(s.span_id) ?? [])].sort((a, b) => startMs(a) - startMs(b));
    rows.push({ span: s, depth, offset: startMs(s) - t0, childCount: kids.length, critical: critical.has(s.span_id), error: isError(s) });
    if (!collapsed.has(s.span_id)) for (const k of kids) visit(k, depth + 1, seen);
  };
  const seen = new Set<string>();
  for (const r of [...roots].sort((a, b) => startMs(a) - startMs(b))) visit(r, 0, seen);
  return { rows, total };
}

export function formatMs(ms: number): string {
  if (ms < 1) return `${(ms * 1000).toFixed(0)} µs`;
  if (ms < 1000) return `${ms.toFixed(ms < 10 ? 2 : 1)} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}
