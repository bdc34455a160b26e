import type { LogRecord, Span } from '@syntra/shared';
import { describe, expect, it } from 'vitest';
import { matchesSearch, parseLogSearch, searchQuery } from './log-search.js';
import { waterfall } from './waterfall.js';

const span = (id: string, parent: string, startMs: number, duration: number, error = false): Span => ({
  trace_id: 't'.repeat(32),
  span_id: id,
  parent_span_id: parent,
  name: id,
  kind: 'Internal',
  service_id: null,
  service_name: 'web',
  start: new Date(startMs).toISOString(),
  start_ns: String(BigInt(startMs) * 1_000_000n),
  duration,
  status: { code: error ? 'Error' : 'Unset', message: '' },
  attributes: {},
  resource_attributes: {},
  events: [],
  links: [],
});

describe('trace waterfall layout', () => {
  const spans = [span('c2', 'root', 1060, 30), span('root', '', 1000, 100), span('c1', 'root', 1010, 40, true), span('g1', 'c1', 1020, 10), span('orphan', 'missing', 1005, 5)];

  it('nests spans under their parents in start order; a span whose parent is missing is a root', () => {
    const { rows, total } = waterfall(spans, new Set());
    expect(rows.map((r) => `${r.span.span_id}:${r.depth}`)).toEqual(['root:0', 'c1:1', 'g1:2', 'c2:1', 'orphan:0']);
    expect(total).toBe(100);
    expect(rows.find((r) => r.span.span_id === 'c1')).toMatchObject({ offset: 10, error: true, childCount: 1 });
  });

  it('marks the critical path (what the root waited on) and hides collapsed descendants', () => {
    const { rows } = waterfall(spans, new Set());
    expect(rows.filter((r) => r.critical).map((r) => r.span.span_id)).toEqual(['root', 'c1', 'g1', 'c2', 'orphan']);
    expect(waterfall(spans, new Set(['c1'])).rows.map((r) => r.span.span_id)).toEqual(['root', 'c1', 'c2', 'orphan']);
  });
});

describe('log search box', () => {
  it('splits words, phrases and key:value filters, with level, trace and service shortcuts', () => {
    const s = parseLogSearch('checkout "card declined" http.route:/pay level:error service:api trace:' + 'A'.repeat(32));
    expect(s).toEqual({ q: 'checkout "card declined"', attrs: { 'http.route': '/pay', 'service.name': 'api' }, severity: ['error'], traceId: 'a'.repeat(32) });
    expect(searchQuery(s, ['warn'])).toMatchObject({ q: 'checkout "card declined"', severity: 'error,warn', 'attr.http.route': '/pay', trace_id: 'a'.repeat(32) });
  });

  it('applies the same rule to live-tail lines as the server does to stored ones', () => {
    const line = { body: 'Checkout: card declined', severity: 'error', attributes: { 'http.route': '/pay' }, resource_attributes: {}, service_name: 'api', service_id: 's1', trace_id: '' } as unknown as LogRecord;
    expect(matchesSearch(line, parseLogSearch('checkout "card declined" service:api http.route:/pay'), [])).toBe(true);
    expect(matchesSearch(line, parseLogSearch('checkout'), ['warn'])).toBe(false);
    expect(matchesSearch(line, parseLogSearch('refund'), [])).toBe(false);
    expect(matchesSearch(line, parseLogSearch(''), [], 's2')).toBe(false);
  });
});
