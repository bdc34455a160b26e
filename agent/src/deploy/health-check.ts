import http from 'node:http';
import net from 'node:net';

export interface HealthSpec {
  path: string | null;
  intervalMs: number;
  timeoutMs: number;
  retries: number;
}

/** What one probe saw; reported to the control plane as a `health_check` telemetry item. */
export interface ProbeResult {
  healthy: boolean;
  /** HTTP status; null for TCP checks and when nothing answered. */
  statusCode: number | null;
  responseMs: number;
  /** Why it failed (null when healthy). */
  error: string | null;
}

function probeHttp(host: string, port: number, path: string, timeoutMs: number): Promise<ProbeResult> {
  const started = performance.now();
  const done = (statusCode: number | null, error: string | null): ProbeResult => ({ healthy: !error, statusCode, responseMs: Math.round(performance.now() - started), error });
  return new Promise((resolve) => {
    const req = http.get({ host, port, path, timeout: timeoutMs, agent: false }, (res) => {
      res.resume();
      const code = res.statusCode ?? 0;
      resolve(done(code, code >= 200 && code < 400 ? null : `GET ${path} → HTTP ${code}`));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (e) => resolve(done(null, `GET ${path} → ${e.message}`)));
  });
}

function probeTcp(host: string, port: number, timeoutMs: number): Promise<ProbeResult> {
  const started = performance.now();
  const done = (error: string | null): ProbeResult => ({ healthy: !error, statusCode: null, responseMs: Math.round(performance.now() - started), error });
  return new Promise((resolve) => {
    const s = net.connect({ host, port, timeout: timeoutMs }, () => {
      s.destroy();
      resolve(done(null));
    });
    s.on('timeout', () => {
      s.destroy();
      resolve(done(`port ${port}: no connection within ${timeoutMs} ms`));
    });
    s.on('error', (e) => resolve(done(`port ${port}: ${e.message}`)));
  });
}

/** One probe: an HTTP GET of `path` (2xx/3xx is healthy), or a TCP connect when no path is set. */
export function probe(host: string, port: number, path: string | null, timeoutMs: number): Promise<ProbeResult> {
  return path ? probeHttp(host, port, path, timeoutMs) : probeTcp(host, port, timeoutMs);
}

/**
 * Gates a deploy: probes the new instance until it answers 2xx/3xx on the health path (or accepts
 * TCP connections when no path is set). Fails after `retries` consecutive failed probes once the
 * instance has had `graceMs` to boot. Every failed probe is a line of the health log; every probe
 * but the refused connections of a booting instance goes to `report`.
 */
export async function waitHealthy(
  host: string,
  port: number,
  spec: HealthSpec,
  onLog: (line: string) => void,
  isAlive: () => boolean,
  graceMs = 10_000,
  report: (result: ProbeResult) => void = () => undefined,
): Promise<{ ok: boolean; log: string[] }> {
  const log: string[] = [];
  const started = Date.now();
  let failures = 0;
  for (;;) {
    const result = await probe(host, port, spec.path, spec.timeoutMs);
    if (!result.error) {
      report(result);
      onLog(`health check passed${spec.path ? `: GET ${spec.path}` : ` (port ${port} open)`}`);
      return { ok: true, log };
    }
    const booting = /ECONNREFUSED/.test(result.error) && Date.now() - started < graceMs && isAlive();
    if (!booting) {
      failures += 1;
      report(result);
    }
    const line = `health check ${booting ? '(booting) ' : `${failures}/${spec.retries} `}failed: ${result.error}`;
    log.push(line);
    onLog(line);
    if (failures >= spec.retries) return { ok: false, log };
    await new Promise((r) => setTimeout(r, booting ? 100 : spec.intervalMs));
  }
}
