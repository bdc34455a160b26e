import http from 'node:http';
import net from 'node:net';

export interface HealthSpec {
  path: string | null;
  intervalMs: number;
  timeoutMs: number;
  retries: number;
}

function probeHttp(host: string, port: number, path: string, timeoutMs: number): Promise<string | null> {
  return new Promise((resolve) => {
    const req = http.get({ host, port, path, timeout: timeoutMs, agent: false }, (res) => {
      res.resume();
      const ok = (res.statusCode ?? 0) >= 200 && (res.statusCode ?? 0) < 400;
      resolve(ok ? null : `GET ${path} → HTTP ${res.statusCode}`);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (e) => resolve(`GET ${path} → ${e.message}`));
  });
}

function probeTcp(host: string, port: number, timeoutMs: number): Promise<string | null> {
  return new Promise((resolve) => {
    const s = net.connect({ host, port, timeout: timeoutMs }, () => {
      s.destroy();
      resolve(null);
    });
    s.on('timeout', () => {
      s.destroy();
      resolve(`port ${port}: no connection within ${timeoutMs} ms`);
    });
    s.on('error', (e) => resolve(`port ${port}: ${e.message}`));
  });
}

/** One probe: null when healthy, else what went wrong. */
export function probe(host: string, port: number, path: string | null, timeoutMs: number): Promise<string | null> {
  return path ? probeHttp(host, port, path, timeoutMs) : probeTcp(host, port, timeoutMs);
}

/**
 * Gates a deploy: probes the new instance until it answers 2xx/3xx on the health path (or accepts
 * TCP connections when no path is set). Fails after `retries` consecutive failed probes once the
 * instance has had `graceMs` to boot. Every failed probe is a line of the health log.
 */
export async function waitHealthy(host: string, port: number, spec: HealthSpec, onLog: (line: string) => void, isAlive: () => boolean, graceMs = 10_000): Promise<{ ok: boolean; log: string[] }> {
  const log: string[] = [];
  const started = Date.now();
  let failures = 0;
  for (;;) {
    const error = spec.path ? await probeHttp(host, port, spec.path, spec.timeoutMs) : await probeTcp(host, port, spec.timeoutMs);
    if (!error) {
      onLog(`health check passed${spec.path ? `: GET ${spec.path}` : ` (port ${port} open)`}`);
      return { ok: true, log };
    }
    const booting = /ECONNREFUSED/.test(error) && Date.now() - started < graceMs && isAlive();
    if (!booting) failures += 1;
    const line = `health check ${booting ? '(booting) ' : `${failures}/${spec.retries} `}failed: ${error}`;
    log.push(line);
    onLog(line);
    if (failures >= spec.retries) return { ok: false, log };
    await new Promise((r) => setTimeout(r, booting ? 100 : spec.intervalMs));
  }
}
