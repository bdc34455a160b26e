import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import type { ChConnection } from '../../src/db/clickhouse/scoped-connection.js';
import { scopedConnection } from '../../src/db/clickhouse/scoped-connection.js';
import { testEnginePath } from './clickhouse.js';

/**
 * A stand-in for a ClickHouse server: it speaks the HTTP interface as `@clickhouse/client` uses it
 * (no ClickHouse server binary is installable here) and executes every statement on this process's
 * embedded engine. What it implements, from ClickHouse's HTTP interface documentation:
 * - `GET /ping` → `Ok.`; `GET /?query=…`; `POST /` with the statement as the body, or with
 *   `?query=` naming it and the body carrying its data (INSERT … FORMAT x, the client's insert/exec);
 * - `database`, `query_id`, `param_<name>` (values in the text-escaped form the client sends) and any
 *   other parameter as a setting of that one statement; `default_format`;
 * - gzip request bodies (`Content-Encoding`) and gzip answers when `enable_http_compression=1`;
 * - answers with `X-ClickHouse-Query-Id`, `X-ClickHouse-Format`, `X-ClickHouse-Timezone`,
 *   `X-ClickHouse-Summary`; errors as `Code: N. DB::Exception: …` bodies with `X-ClickHouse-Exception-Code`.
 * Credentials are accepted as given (it listens on loopback only).
 */
export interface ClickHouseStandIn {
  url: string;
  /** Statements executed, for tests that check the HTTP path was really taken. */
  readonly requests: number;
  close(): Promise<void>;
}

const NOT_SETTINGS = new Set(['query', 'database', 'query_id', 'session_id', 'session_timeout', 'session_check', 'role', 'user', 'password', 'default_format', 'compress', 'decompress']);

/** ClickHouse's text escaping of parameter values (as `formatQueryParams` writes them) undone for scalars. */
function unescapeScalar(v: string): string {
  return v.replace(/\\(.)/g, (_, c: string) => ({ b: '\b', f: '\f', r: '\r', n: '\n', t: '\t', '0': '\0' })[c] ?? c);
}

/** `{name:Type}` placeholders of a statement, so string-typed parameters can be unescaped (containers are literals the engine parses). */
function placeholderTypes(sql: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of sql.matchAll(/\{\s*([A-Za-z_]\w*)\s*:\s*([^}]+)\}/g)) out.set(m[1]!, m[2]!.trim());
  return out;
}
const SCALAR = /^(Nullable\()?(LowCardinality\()?(String|FixedString\(\d+\)|UUID|Enum\w*\(.*\))\)*$/;

function statusOf(code: number): number {
  if (code === 62) return 400; // SYNTAX_ERROR
  if (code === 60 || code === 81) return 404; // UNKNOWN_TABLE, UNKNOWN_DATABASE
  if (code === 27 || code === 26 || code === 117) return 400; // cannot parse input
  return 500;
}

async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  const source = req.headers['content-encoding'] === 'gzip' ? req.pipe(zlib.createGunzip()) : req;
  for await (const c of source) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startClickHouseStandIn(): Promise<ClickHouseStandIn> {
  const { createChdbConnection } = (await import('chdb/connection')) as { createChdbConnection: (o: { path: string }) => ChConnection };
  const enginePath = testEnginePath();
  // One chdb session per database, each `USE`d once: the HTTP `database` parameter per request.
  const sessions = new Map<string, Promise<ChConnection>>();
  const session = (database: string) => {
    let s = sessions.get(database);
    if (!s) {
      s = (async () => {
        const conn = scopedConnection(createChdbConnection({ path: enginePath }));
        if (database !== 'default') await conn.command({ query: `USE ${database}`, query_id: randomUUID() });
        return conn;
      })();
      s.catch(() => sessions.delete(database));
      sessions.set(database, s);
    }
    return s;
  };
  let requests = 0;

  const server = http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://stand-in');
      if (url.pathname === '/ping') return void res.writeHead(200, { 'Content-Type': 'text/plain' }).end('Ok.\n');
      if (url.pathname !== '/' || (req.method !== 'GET' && req.method !== 'POST')) return void res.writeHead(404).end('Not found\n');
      const queryId = url.searchParams.get('query_id') || randomUUID();
      const headers: Record<string, string> = { 'X-ClickHouse-Query-Id': queryId, 'X-ClickHouse-Timezone': 'UTC', 'X-ClickHouse-Server-Display-Name': 'syntra-stand-in' };
      try {
        const body = req.method === 'POST' ? await readBody(req) : '';
        if (String(req.headers['content-type'] ?? '').startsWith('multipart/')) throw Object.assign(new Error('Code: 1. DB::Exception: multipart parameters are not supported by this stand-in. (UNSUPPORTED_METHOD)'), { code: '1' });
        const inUrl = url.searchParams.get('query');
        const sql = inUrl ?? body;
        const data = inUrl !== null && body.length ? body : undefined;
        const settings: Record<string, string> = {};
        const params: Record<string, string> = {};
        const types = placeholderTypes(sql);
        for (const [k, v] of url.searchParams) {
          if (k.startsWith('param_')) {
            const name = k.slice(6);
            params[name] = SCALAR.test(types.get(name) ?? '') ? unescapeScalar(v) : v;
          } else if (!NOT_SETTINGS.has(k)) settings[k] = v;
        }
        const compress = settings.enable_http_compression === '1' && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
        const format = url.searchParams.get('default_format') ?? 'TabSeparated';
        const conn = await session(url.searchParams.get('database') ?? 'default');
        requests += 1;
        const result = await conn.exec({
          query: sql,
          query_id: queryId,
          ...(data !== undefined ? { values: data as never } : {}),
          ...(Object.keys(params).length ? { query_params: params } : {}),
          clickhouse_settings: { ...settings, default_format: format } as never,
        });
        const format2 = /\sFORMAT\s+(\w+)\s*;?\s*$/i.exec(sql)?.[1];
        if (format2) headers['X-ClickHouse-Format'] = format2;
        const summary = result.summary ?? {};
        headers['X-ClickHouse-Summary'] = JSON.stringify({ read_rows: '0', read_bytes: '0', written_rows: '0', written_bytes: '0', total_rows_to_read: '0', result_rows: '0', result_bytes: '0', elapsed_ns: '0', ...summary });
        headers['Content-Type'] = format2?.startsWith('JSON') ? 'application/json; charset=UTF-8' : 'text/plain; charset=UTF-8';
        const chunks: Buffer[] = [];
        for await (const c of result.stream) chunks.push(Buffer.from(c as Buffer));
        const out = Buffer.concat(chunks);
        if (compress) headers['Content-Encoding'] = 'gzip';
        res.writeHead(200, headers).end(compress ? zlib.gzipSync(out) : out);
      } catch (err) {
        // The client's error (from chdb's connection) keeps the engine's own message as its cause.
        const e = err as { message?: string; code?: string; type?: string; clickhouseCode?: number; cause?: { message?: string; clickhouseCode?: number } };
        const code = Number(e.clickhouseCode ?? e.cause?.clickhouseCode ?? e.code) || 1000;
        const message = String(e.cause?.message ?? e.message ?? err).trim();
        let text = message.startsWith('Code:') ? message : `Code: ${code}. DB::Exception: ${message}`;
        if (!/\([A-Z0-9_]{3,}\)/.test(text)) text += ` (${e.type ?? 'UNKNOWN_EXCEPTION'})`;
        if (!res.headersSent) res.writeHead(statusOf(code), { ...headers, 'Content-Type': 'text/plain; charset=UTF-8', 'X-ClickHouse-Exception-Code': String(code) });
        res.end(`${text}\n`);
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    get requests() {
      return requests;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sessions.values()) await (await s.catch(() => null))?.close();
    },
  };
}

let shared: Promise<ClickHouseStandIn> | null = null;

/**
 * CLICKHOUSE_URL / CLICKHOUSE_DATABASE for `syntra api|worker` processes a test starts: they run
 * apart from the test, so they reach telemetry over HTTP, here the stand-in of this test process
 * (one per process, closed with it). Processes on the same PostgreSQL database share a ClickHouse database.
 */
export async function clickhouseEnvFor(databaseUrl: string): Promise<{ CLICKHOUSE_URL: string; CLICKHOUSE_DATABASE: string }> {
  shared ??= startClickHouseStandIn();
  const standIn = await shared;
  const name = new URL(databaseUrl).pathname.replace(/^\//, '').replace(/\W/g, '_') || 'syntra';
  return { CLICKHOUSE_URL: standIn.url, CLICKHOUSE_DATABASE: `ch_${name}`.slice(0, 63) };
}
