import fs from 'node:fs';
import { isMainThread } from 'node:worker_threads';
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
  | { embeddedPath: string; database: string; engine?: EmbeddedEngineSettings };

/** Server settings of the embedded engine, fixed when the process first opens it. */
export interface EmbeddedEngineSettings {
  /** The engine's memory ceiling (queries past it fail with MEMORY_LIMIT_EXCEEDED instead of the process growing). */
  maxMemoryMb: number;
  /** Index marks kept in memory (ClickHouse's default, 5 GiB, is sized for a dedicated server). */
  markCacheMb: number;
}

export const DEFAULT_ENGINE_SETTINGS: EmbeddedEngineSettings = { maxMemoryMb: 1024, markCacheMb: 128 };

const DATABASE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** The embedded engine's data dir in this process: libchdb binds one per process for its lifetime. */
let embeddedPathInUse: string | null = null;
/** Held open for the process's life: the first session at a path decides the engine's settings. */
let engineSession: { close(): void } | null = null;

async function openEmbedded(enginePath: string, database: string, engine: EmbeddedEngineSettings): Promise<ClickHouse> {
  if (embeddedPathInUse && embeddedPathInUse !== enginePath) {
    throw new Error(`The embedded ClickHouse of this process already uses ${embeddedPathInUse}; one engine (one data dir) per process. Point CLICKHOUSE_URL at a ClickHouse server to share telemetry between processes.`);
  }
  fs.mkdirSync(enginePath, { recursive: true });
  // Loaded only here: a process talking to a server never maps the engine's ~550 MB library.
  const { createChdbConnection } = (await import('chdb/connection')) as { createChdbConnection: (o: { path: string }) => ChConnection };
  // The engine is the process's: a worker thread (`syntra start`'s intake processing) finds it
  // running and only opens connections to it, which go with the thread.
  if (!engineSession && isMainThread) {
    const { Session } = await import('chdb');
    // Server settings cannot be SET: they are engine arguments, taken when the first session opens.
    engineSession = new Session(enginePath, {
      connectionArgs: [
        `--max_server_memory_usage=${engine.maxMemoryMb * 1024 * 1024}`,
        `--mark_cache_size=${engine.markCacheMb * 1024 * 1024}`,
        '--uncompressed_cache_size=0',
        // The memory worker corrects the tracker from the process's RSS; at its default period
        // it was the busiest thread of an idle control plane after the JS thread.
        '--memory_worker_period_ms=1000',
      ],
    });
  }
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
  return 'url' in target ? openServer(target.url, target.database) : openEmbedded(target.embeddedPath, target.database, target.engine ?? DEFAULT_ENGINE_SETTINGS);
}

/** Rows of a SELECT as objects (JSONEachRow); `params` bind `{name:Type}` placeholders. */
export async function selectRows<T>(ch: ClickHouse, query: string, params: Record<string, unknown> = {}, settings: ClickHouseSettings = {}): Promise<T[]> {
  const result = await ch.client.query({ query, query_params: params, format: 'JSONEachRow', clickhouse_settings: settings });
  return result.json<T>();
}
