import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  json: any;
}

/**
 * A local HTTP receiver standing in for a webhook endpoint, Slack's or Discord's incoming webhooks
 * or PagerDuty's Events API v2 (each speaks JSON over POST). `statuses` answers requests in order
 * (then 200 for the rest), so a test can make the first attempt fail.
 */
export async function receiver(statuses: number[] = []): Promise<{ url: string; received: ReceivedRequest[]; close(): Promise<void> }> {
  const received: ReceivedRequest[] = [];
  const queue = [...statuses];
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      let json: unknown = null;
      try {
        json = JSON.parse(body);
      } catch {
        /* not JSON */
      }
      received.push({ path: req.url ?? '', headers: req.headers, body, json });
      const status = queue.shift() ?? 200;
      res.writeHead(status, { 'content-type': 'application/json' }).end(status >= 400 ? '{"error":"stand-in failure"}' : '{"status":"success"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Polls until `fn` returns a truthy value (a test's wait for something asynchronous). */
export async function until<T>(fn: () => Promise<T | undefined | null | false> | T | undefined | null | false, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
