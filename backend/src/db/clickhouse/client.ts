import fs from 'node:fs';
import { type ClickHouseClient, type ClickHouseSettings, createClient } from '@clickhouse/client';
import { type ChConnection, scopedConnection } from './scoped-connection.js';

export type { ClickHouseClient };

/** One way to reach ClickHouse: the embedded engine (chdb) or a server, behind the same official client. */
export interface ClickHouse {
  client: ClickHouseClient;
  /** The database every statement runs in (tables are named without it). */
  database: string;
  mode: 'embedded' | 'server';
  close(): Promise<void>;
}

export type ClickHouseTarget =
  /** A ClickHouse server over HTTP(S) (`CLICKHOUSE_URL`); processes may share it. */
  | { url: string; database: string }
  /** The engine inside this process, its data under `path` (one engine, one path per process). */
  | { embeddedPath: string; database: string };

const DATABASE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** The embedded engine's data dir in this process: libchdb binds one per process for its lifetime. */
let embeddedPathInUse: string | null = null;

async function openEmbedded(enginePath: string, database: string): Promise<ClickHouse> {
  if (embeddedPathInUse && embeddedPathInUse !== enginePath) {
    throw new Error(`The embedded ClickHouse of this process already uses ${embeddedPathInUse}; one engine (one data dir) per process. Point CLICKHOUSE_URL at a ClickHouse server to share telemetry between processes.`);
  }
  fs.mkdirSync(enginePath, { recursive: true });
  // Loaded only here: a process talking to a server never maps the engine's ~550 MB library.
  const { createChdbConnection } = (await import('chdb/connection')) as { createChdbConnection: (o: { path: string }) => ChConnection };
  embeddedPathInUse = enginePath;
  // Each database gets its own session on the one engine: `USE` is per session (the test
  // environments of one vitest worker share the engine, each in its own database).
  const client = createClient({ connection: scopedConnection(createChdbConnection({ path: enginePath })) });
  await client.command({ query: `CREATE DATABASE IF NOT EXISTS ${database}` });
  await client.command({ query: `USE ${database}` });
  return { client, database, mode: 'embedded', close: () => client.close() };
}

async function openServer(url: string, database: string): Promise<ClickHouse> {
  // The database must exist before a client may name it (the server checks it on every request).
  const bootstrap = createClient({ url });
  try {
    await bootstrap.command({ query: `CREATE DATABASE IF NOT EXISTS ${database}` });
  } finally {
    await bootstrap.close();
  }
  const client = createClient({ url, database, request_timeout: 30_000 });
  return { client, database, mode: 'server', close: () => client.close() };
}

export async function openClickHouse(target: ClickHouseTarget): Promise<ClickHouse> {
  if (!DATABASE_NAME.test(target.database)) throw new Error(`Invalid ClickHouse database name ${JSON.stringify(target.database)}`);
  return 'url' in target ? openServer(target.url, target.database) : openEmbedded(target.embeddedPath, target.database);
}

/** Rows of a SELECT as objects (JSONEachRow); `params` bind `{name:Type}` placeholders. */
export async function selectRows<T>(ch: ClickHouse, query: string, params: Record<string, unknown> = {}, settings: ClickHouseSettings = {}): Promise<T[]> {
  const result = await ch.client.query({ query, query_params: params, format: 'JSONEachRow', clickhouse_settings: settings });
  return result.json<T>();
}
