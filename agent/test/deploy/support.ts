import { createHash, randomUUID } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Deploy, DeployStatus } from '@syntra/shared';

export const EXAMPLES = path.resolve(import.meta.dirname, '../../../examples');

/** Packs a copy of examples/node-hello with its VERSION (and optionally a broken /health) into a tarball. */
export function nodeHelloTarball(dir: string, version: string, opts: { brokenHealth?: boolean; sickWhenFileExists?: string } = {}) {
  const src = fs.mkdtempSync(path.join(dir, 'src-'));
  fs.cpSync(path.join(EXAMPLES, 'node-hello'), src, { recursive: true });
  fs.writeFileSync(path.join(src, 'VERSION'), `${version}\n`);
  if (opts.brokenHealth) {
    const server = path.join(src, 'server.js');
    fs.writeFileSync(server, fs.readFileSync(server, 'utf8').replace("res.writeHead(200, { 'content-type': 'application/json' });\n    return res.end(JSON.stringify({ ok: true }));", "res.writeHead(500);\n    return res.end('broken');"));
  }
  if (opts.sickWhenFileExists) {
    const server = path.join(src, 'server.js');
    const marker = JSON.stringify(opts.sickWhenFileExists);
    fs.writeFileSync(server, fs.readFileSync(server, 'utf8').replace("if (req.url === '/health') {", `if (req.url === '/health' && fs.existsSync(${marker})) {\n    res.writeHead(503);\n    return res.end('sick');\n  }\n  if (req.url === '/health') {`));
  }
  const file = path.join(dir, `${version}-${randomUUID().slice(0, 6)}.tar.gz`);
  execFileSync('tar', ['-czf', file, '-C', src, '.']);
  const digest = `sha256:${createHash('sha256').update(fs.readFileSync(file)).digest('hex')}`;
  return { file, digest };
}

/** Serves files as the backend's artifact route does (bearer token required). */
export async function artifactServer(token: string) {
  const files = new Map<string, string>();
  const server = http.createServer((req, res) => {
    if (req.headers.authorization !== `Bearer ${token}`) return void res.writeHead(401).end();
    const file = files.get(req.url ?? '');
    if (!file) return void res.writeHead(404).end();
    res.writeHead(200);
    fs.createReadStream(file).pipe(res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    add(file: string) {
      const p = `/a/${path.basename(file)}`;
      files.set(p, file);
      return `${base}${p}`;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

export function deployFrame(over: Partial<Deploy> & Pick<Deploy, 'service_id' | 'artifact'>): Deploy {
  const id = randomUUID();
  return {
    request_id: id,
    deployment_id: id,
    start_command: 'npm start',
    port: null,
    env: {},
    replicas: 1,
    health_check: { path: '/health', interval: 1, timeout: 2, retries: 3 },
    domains: [],
    limits: { cpu: null, memory: null },
    ...over,
  };
}

export class StatusLog {
  readonly statuses: DeployStatus[] = [];
  readonly lines: string[] = [];
  final(deploymentId: string) {
    return this.statuses.find((s) => s.deployment_id === deploymentId && (s.status === 'running' || s.status === 'failed'));
  }
}

export function tmpDir(tag: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `syntra-${tag}-`));
  fs.chmodSync(dir, 0o755);
  return dir;
}

/** GET with an optional Host header (fetch forbids setting it, so node:http). */
export function getJson(url: string, host?: string): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers: host ? { host } : {}, agent: false }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => {
        try {
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) });
        } catch {
          resolve({ status: res.statusCode ?? 0, body: text });
        }
      });
    });
    req.on('error', reject);
  });
}

/** Sends requests back to back (a few in parallel) until stopped; counts failures. */
export function loadGenerator(url: string, concurrency = 4) {
  let running = true;
  const stats = { ok: 0, failed: 0, errors: [] as string[], versions: new Set<string>() };
  const worker = async () => {
    while (running) {
      try {
        const res = await fetch(url);
        const body = (await res.json()) as { version?: string };
        if (res.status === 200) {
          stats.ok += 1;
          if (body.version) stats.versions.add(body.version);
        } else {
          stats.failed += 1;
          stats.errors.push(`HTTP ${res.status}`);
        }
      } catch (err) {
        stats.failed += 1;
        stats.errors.push(String(err));
      }
    }
  };
  const workers = Array.from({ length: concurrency }, worker);
  return {
    stats,
    stop: async () => {
      running = false;
      await Promise.all(workers);
      return stats;
    },
  };
}
