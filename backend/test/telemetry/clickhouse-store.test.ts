import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLICKHOUSE_MIGRATIONS, migrateClickHouse, selectRows } from '../../src/db/clickhouse/index.js';
import { createLogger } from '../../src/logger.js';
import { BatchedTelemetryWriter, chTime, StoreBusyError, type OtelLogRow } from '../../src/modules/telemetry/index.js';
import { createTestClickHouse, type TestClickHouse } from '../support/clickhouse.js';
import { type ClickHouseStandIn, startClickHouseStandIn } from '../support/clickhouse-http-stand-in.js';

const logger = createLogger('silent');
const org = randomUUID();
const service = randomUUID();

function logRow(body: string, at = new Date()): OtelLogRow {
  return { OrgId: org, ServiceId: service, Timestamp: chTime(at), Body: body, ServiceName: 'api', SeverityText: 'INFO', SeverityNumber: 9 };
}

describe('the ClickHouse store (embedded engine)', () => {
  let t: TestClickHouse;
  beforeAll(async () => {
    t = await createTestClickHouse();
  });
  afterAll(async () => {
    await t.drop();
  });

  it('has the exporter tables, and applying the migrations again does nothing', async () => {
    const tables = (await selectRows<{ name: string }>(t.ch, 'SELECT name FROM system.tables WHERE database = currentDatabase() ORDER BY name')).map((r) => r.name);
    expect(tables).toEqual(expect.arrayContaining(['otel_logs', 'otel_traces', 'otel_traces_trace_id_ts', 'otel_traces_trace_id_ts_mv', 'otel_metrics_gauge', 'otel_metrics_sum', 'otel_metrics_histogram', 'otel_metrics_exponential_histogram', 'otel_metrics_summary', 'error_events', 'clickhouse_migrations']));
    expect(await migrateClickHouse(t.ch)).toEqual([]);
    const ledger = await selectRows<{ name: string }>(t.ch, 'SELECT DISTINCT name FROM clickhouse_migrations ORDER BY name');
    expect(ledger.map((r) => r.name)).toEqual(CLICKHOUSE_MIGRATIONS.map(([n]) => n));
    // The telemetry tables merge with the wider selector (fewer rewrites per row under load).
    const settings = await selectRows<{ name: string; sql: string }>(t.ch, "SELECT name, create_table_query AS sql FROM system.tables WHERE database = currentDatabase() AND name LIKE 'otel_%' AND engine = 'MergeTree'");
    expect(settings.length).toBeGreaterThanOrEqual(7);
    for (const row of settings) expect(row.sql, row.name).toMatch(/merge_selector_base = 10/);
  });

  it('acknowledges a write once its rows are stored, and stores a resent batch once', async () => {
    const writer = new BatchedTelemetryWriter(t.ch, logger, { maxBatchRows: 1000, maxDelayMs: 20, maxQueuedBytes: 1 << 20 });
    const batch = [logRow('first line'), logRow('second line')];
    await writer.write('otel_logs', batch, { dedupToken: 'server-1:7' });
    await writer.write('otel_logs', batch, { dedupToken: 'server-1:7' });
    // The same content without a token is a new write (identical lines are not merged away).
    await writer.write('otel_logs', [logRow('same'), logRow('same')]);
    await writer.write('otel_logs', [logRow('same'), logRow('same')]);
    const rows = await selectRows<{ Body: string; n: string }>(t.ch, 'SELECT Body, count() AS n FROM otel_logs WHERE OrgId = {org:UUID} GROUP BY Body ORDER BY Body', { org });
    expect(rows.map((r) => [r.Body, Number(r.n)])).toEqual([
      ['first line', 1],
      ['same', 4],
      ['second line', 1],
    ]);
    expect(writer.stats().tables.otel_logs.written).toBe(8);
    await writer.close();
  });

  it('stores rows whose optional columns differ, omitted ones taking the table defaults, values exactly as written', async () => {
    const writer = new BatchedTelemetryWriter(t.ch, logger, { maxBatchRows: 1000, maxDelayMs: 50, maxQueuedBytes: 1 << 20 });
    const at = new Date();
    const odd = 'tab\there "quoted" \\ back\nslash, \'single\', é ✓ \u0000 end';
    // Three writes queued together (one INSERT per column set): a bare row, one with attributes and
    // retention, one whose rows differ among themselves.
    await Promise.all([
      writer.write('otel_logs', [{ OrgId: org, ServiceId: service, Timestamp: chTime(at), Body: 'bare row' }]),
      writer.write('otel_logs', [{ ...logRow(odd, at), LogAttributes: { [odd]: odd, 'http.route': '/a' }, RetentionDays: 7, DeploymentId: 'dep-1' }]),
      writer.write('otel_logs', [logRow('mixed one', at), { ...logRow('mixed two', at), TraceId: 'ab'.repeat(16), ScopeAttributes: { k: 'v' } }]),
    ]);
    const rows = await selectRows<Record<string, unknown>>(
      t.ch,
      `SELECT Body, SeverityText, SeverityNumber, ServiceName, LogAttributes, ScopeAttributes, RetentionDays, DeploymentId, TraceId, toString(TimestampTime) AS tt
       FROM otel_logs WHERE OrgId = {org:UUID} AND Body IN ('bare row', 'mixed one', 'mixed two', {odd:String}) ORDER BY Body`,
      { org, odd },
    );
    const second = chTime(at).slice(0, 19);
    expect(rows).toEqual([
      { Body: 'bare row', SeverityText: '', SeverityNumber: 0, ServiceName: '', LogAttributes: {}, ScopeAttributes: {}, RetentionDays: 30, DeploymentId: '', TraceId: '', tt: second },
      { Body: 'mixed one', SeverityText: 'INFO', SeverityNumber: 9, ServiceName: 'api', LogAttributes: {}, ScopeAttributes: {}, RetentionDays: 30, DeploymentId: '', TraceId: '', tt: second },
      { Body: 'mixed two', SeverityText: 'INFO', SeverityNumber: 9, ServiceName: 'api', LogAttributes: {}, ScopeAttributes: { k: 'v' }, RetentionDays: 30, DeploymentId: '', TraceId: 'ab'.repeat(16), tt: second },
      { Body: odd, SeverityText: 'INFO', SeverityNumber: 9, ServiceName: 'api', LogAttributes: { [odd]: odd, 'http.route': '/a' }, ScopeAttributes: {}, RetentionDays: 7, DeploymentId: 'dep-1', TraceId: '', tt: second },
    ]);
    expect(writer.stats().tables.otel_logs.written).toBe(4);
    await writer.close();
  });

  it('runs inserts side by side and still stores each queued batch exactly once, tokens included', async () => {
    const writer = new BatchedTelemetryWriter(t.ch, logger, { maxBatchRows: 3, maxDelayMs: 10_000, maxQueuedBytes: 1 << 20, maxConcurrentInserts: 2 });
    const batch = (i: number) => [logRow(`side ${i}`), logRow(`side ${i}`), logRow(`side ${i}`)];
    // A tokened batch and its resend first, so the two run at the same time: stored once.
    const writes = [writer.write('otel_logs', batch(1), { dedupToken: 'side-token-1' }), writer.write('otel_logs', batch(1), { dedupToken: 'side-token-1' })];
    for (const i of [0, 2, 3, 4, 5, 6, 7]) writes.push(writer.write('otel_logs', batch(i), i % 2 ? { dedupToken: `side-token-${i}` } : {}));
    // A partial batch is not held for its 10 s delay once the writer flushes.
    writes.push(writer.write('otel_logs', [logRow('side partial')]));
    await writer.flush();
    await Promise.all(writes);
    const rows = await selectRows<{ Body: string; n: string }>(t.ch, "SELECT Body, count() AS n FROM otel_logs WHERE OrgId = {org:UUID} AND Body LIKE 'side %' GROUP BY Body ORDER BY Body", { org });
    expect(rows.map((r) => [r.Body, Number(r.n)])).toEqual([...Array.from({ length: 8 }, (_, i) => [`side ${i}`, 3]), ['side partial', 1]]);
    await writer.close();
  });

  it('keeps a span and finds its trace by id through the lookup table', async () => {
    const writer = new BatchedTelemetryWriter(t.ch, logger, { maxBatchRows: 1000, maxDelayMs: 20, maxQueuedBytes: 1 << 20 });
    const traceId = 'ab'.repeat(16);
    // Whole seconds, an hour ago (a year-old span would be past its retention and dropped at insert).
    const start = Math.floor(Date.now() / 1000) * 1000 - 3_600_000;
    await writer.write('otel_traces', [
      { OrgId: org, ServiceId: service, Timestamp: chTime(start), TraceId: traceId, SpanId: '01'.repeat(8), SpanName: 'GET /', Duration: 5_000_000, StatusCode: 'Ok', 'Events.Name': ['cache miss'], 'Events.Timestamp': [chTime(start + 1)], 'Events.Attributes': [{ key: 'k' }] },
    ]);
    const [lookup] = await selectRows<{ Start: string; End: string }>(t.ch, 'SELECT min(Start) AS Start, max(End) AS End FROM otel_traces_trace_id_ts WHERE OrgId = {org:UUID} AND TraceId = {id:String}', { org, id: traceId });
    expect(lookup?.Start).toBe(chTime(start).slice(0, 19));
    const [span] = await selectRows<{ SpanName: string; 'Events.Name': string[] }>(t.ch, 'SELECT SpanName, Events.Name FROM otel_traces WHERE TraceId = {id:String}', { id: traceId });
    expect(span).toMatchObject({ SpanName: 'GET /', 'Events.Name': ['cache miss'] });
    await writer.close();
  });

  it('refuses writes past its memory bound with 429 and counts them, storing none of them', async () => {
    const writer = new BatchedTelemetryWriter(t.ch, logger, { maxBatchRows: 1000, maxDelayMs: 10_000, maxQueuedBytes: 1800 });
    // ~1,730 serialized bytes queued of 1,800: the next ~140-byte row is one too many.
    const queued = writer.write('otel_logs', [logRow('x'.repeat(1600))]);
    expect(writer.stats().lagging).toBe(true);
    const refused = writer.write('otel_logs', [logRow('refused line')]);
    await expect(refused).rejects.toBeInstanceOf(StoreBusyError);
    await expect(refused).rejects.toMatchObject({ status: 429, retryAfterSeconds: expect.any(Number) });
    expect(() => writer.admit()).not.toThrow(); // nothing new is too big for what is left… until it is
    expect(writer.stats().tables.otel_logs.rejected).toBe(1);
    await writer.flush();
    await queued;
    const [row] = await selectRows<{ n: string }>(t.ch, "SELECT count() AS n FROM otel_logs WHERE Body = 'refused line'");
    expect(Number(row?.n)).toBe(0);
    await writer.close();
  });

  it('tells the writers when an insert fails, and sheds load with 503 until ClickHouse answers again', async () => {
    const writer = new BatchedTelemetryWriter(t.ch, logger, { maxBatchRows: 1000, maxDelayMs: 5, maxQueuedBytes: 1 << 20 });
    const bad = writer.write('otel_logs', [{ ...logRow('bad'), OrgId: 'not-a-uuid' }]);
    await expect(bad).rejects.toThrow();
    const stats = writer.stats();
    expect(stats).toMatchObject({ lagging: true, lastError: expect.any(String) });
    expect(stats.tables.otel_logs.dropped).toBe(1);
    await expect(writer.write('otel_logs', [logRow('while failing')])).rejects.toMatchObject({ status: 503 });
    await writer.close();
  });
});

describe('the ClickHouse store over HTTP (CLICKHOUSE_URL) against a ClickHouse HTTP stand-in', () => {
  let standIn: ClickHouseStandIn;
  let t: TestClickHouse;
  beforeAll(async () => {
    standIn = await startClickHouseStandIn();
    t = await createTestClickHouse({ url: standIn.url });
  });
  afterAll(async () => {
    await t.drop();
    await standIn.close();
  });

  it('migrates, writes through the batched writer, dedups a resent batch and binds typed parameters', async () => {
    expect(t.ch.mode).toBe('server');
    const writer = new BatchedTelemetryWriter(t.ch, logger, { maxBatchRows: 1000, maxDelayMs: 20, maxQueuedBytes: 1 << 20 });
    const tricky = "quote ' tab \t backslash \\ newline \n done";
    await writer.write('otel_logs', [logRow(tricky), logRow('other')], { dedupToken: 'http:1' });
    await writer.write('otel_logs', [logRow(tricky), logRow('other')], { dedupToken: 'http:1' });
    const rows = await selectRows<{ Body: string }>(t.ch, 'SELECT Body FROM otel_logs WHERE OrgId = {org:UUID} AND ServiceId IN {ids:Array(UUID)} AND Body = {body:String}', { org, ids: [service], body: tricky });
    expect(rows).toEqual([{ Body: tricky }]);
    const [n] = await selectRows<{ n: string }>(t.ch, 'SELECT count() AS n FROM otel_logs');
    expect(Number(n?.n)).toBe(2);
    await writer.close();
    expect(standIn.requests).toBeGreaterThan(5);
  });

  it('reports ClickHouse errors as the client expects them', async () => {
    await expect(selectRows(t.ch, 'SELECT * FROM no_such_table')).rejects.toMatchObject({ type: 'UNKNOWN_TABLE' });
    await expect(t.ch.client.ping()).resolves.toMatchObject({ success: true });
  });
});
