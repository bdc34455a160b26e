/** What the OTLP intake tests share: a key resolver with known keys and a Koa app serving the router. */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import Koa from 'koa';
import pino from 'pino';
import type { ClientKeyResolver, ResolvedClientKey } from '../../src/modules/ingest/ports.js';
import { type ClickHouse, selectRows } from '../../src/db/clickhouse/index.js';
import { BatchedTelemetryWriter, type BatchedWriterOptions, otlpRouter, type TelemetryTable, type TelemetryWriter } from '../../src/modules/telemetry/index.js';
import { createTestClickHouse } from '../support/clickhouse.js';

export const KEYS: Record<'shop' | 'billing' | 'revoked', ResolvedClientKey> = {
  shop: { keyId: 'k-shop', publicKey: 'pk_shop_0123456789abcdef', orgId: '0a000000-0000-4000-8000-00000000000a', projectId: '1a000000-0000-4000-8000-00000000001a', serviceId: '2a000000-0000-4000-8000-00000000002a', projectRef: 101, revoked: false },
  billing: { keyId: 'k-billing', publicKey: 'pk_billing_0123456789abc', orgId: '0b000000-0000-4000-8000-00000000000b', projectId: '1b000000-0000-4000-8000-00000000001b', serviceId: '2b000000-0000-4000-8000-00000000002b', projectRef: 102, revoked: false },
  revoked: { keyId: 'k-old', publicKey: 'pk_revoked_0123456789abc', orgId: '0a000000-0000-4000-8000-00000000000a', projectId: '1a000000-0000-4000-8000-00000000001a', serviceId: '2a000000-0000-4000-8000-00000000002a', projectRef: 101, revoked: true },
};
/** The organisations' retention (RetentionDays of their rows). */
export const RETENTION_DAYS: Record<string, number> = { [KEYS.shop.orgId]: 7 };
export const SERVICE_NAMES: Record<string, string> = { [KEYS.shop.serviceId]: 'shop', [KEYS.billing.serviceId]: 'billing' };

/** A small in-memory ClientKeyResolver (the real one is the client-keys module's). */
export const memoryKeys: ClientKeyResolver = {
  resolve: async (publicKey) => Object.values(KEYS).find((k) => k.publicKey === publicKey) ?? null,
};

export interface OtlpTestServer {
  url: string;
  ch: ClickHouse;
  writer: TelemetryWriter;
  /** The rows of a table, as ClickHouse returns them (JSONEachRow; 64-bit integers as strings). */
  rows<T = Record<string, any>>(table: TelemetryTable, where?: string): Promise<T[]>;
  /** Rows in every telemetry table (to check that nothing was stored). */
  totalRows(): Promise<number>;
  close(): Promise<void>;
}

const silent = pino({ level: 'silent' });

/**
 * The OTLP router on a Koa app of its own, writing through the store's batched writer into a fresh
 * ClickHouse database (the embedded engine of this test process). `writer` tunes the writer (a tiny
 * queue makes it refuse as a lagging store does).
 */
export async function serveOtlp(opts: { writer?: Partial<BatchedWriterOptions> } = {}): Promise<OtlpTestServer> {
  const clickhouse = await createTestClickHouse();
  const writer = new BatchedTelemetryWriter(clickhouse.ch, silent, { maxBatchRows: 20_000, maxDelayMs: 20, maxQueuedBytes: 64 * 1024 * 1024, ...opts.writer });
  const app = new Koa();
  app.use(otlpRouter({ keys: memoryKeys, writer, serviceName: async (id) => SERVICE_NAMES[id] ?? null, retentionDays: async (orgId) => RETENTION_DAYS[orgId] ?? 30, logger: silent }).routes());
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  const rows = <T,>(table: TelemetryTable, where = '1') =>
    selectRows<T>(clickhouse.ch, `SELECT * FROM ${table} WHERE ${where} ORDER BY ${table.startsWith('otel_metrics') ? 'TimeUnix' : 'Timestamp'}`);
  return {
    url: `http://127.0.0.1:${port}`,
    ch: clickhouse.ch,
    writer,
    rows,
    totalRows: async () => {
      const [row] = await selectRows<{ n: string }>(clickhouse.ch, `SELECT (SELECT count() FROM otel_logs) + (SELECT count() FROM otel_traces) + (SELECT count() FROM otel_metrics_gauge) + (SELECT count() FROM otel_metrics_sum) + (SELECT count() FROM otel_metrics_histogram) AS n`);
      return Number(row!.n);
    },
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await writer.close();
      await clickhouse.drop();
    },
  };
}

/**
 * The payloads of the envelope items a Sentry SDK sent (newline-delimited JSON: envelope header,
 * then item header and payload pairs) whose item header `wanted` accepts.
 */
export function sentItems(envelopes: Array<string | Uint8Array>, wanted: (header: { type?: string; content_type?: string }) => boolean): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  for (const envelope of envelopes) {
    const lines = (typeof envelope === 'string' ? envelope : Buffer.from(envelope).toString('utf8')).split('\n').filter(Boolean);
    for (let i = 1; i + 1 < lines.length; i += 2) {
      if (wanted(JSON.parse(lines[i]!) as { type?: string; content_type?: string })) out.push(JSON.parse(lines[i + 1]!) as Record<string, unknown>);
    }
  }
  return out;
}
