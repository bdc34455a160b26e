/**
 * A lean keep-alive HTTP/1.1 client for load generation: one request in flight per socket, the
 * request bytes written as they are, the response read only as far as its status, length and end.
 * Node's `http.request` costs the generator 80–170 µs of CPU per request, on the same 2 cores as
 * the server it measures (the way wrk or autocannon would be used, this takes ~5× less), so less of
 * the machine goes to the load and more to what is measured — for Syntra and the floor alike.
 */
import net from 'node:net';

export class KeepAliveConnection {
  private socket: net.Socket | null = null;
  private buffered = Buffer.alloc(0);
  private waiting: { resolve: (status: number) => void } | null = null;

  constructor(
    private readonly host: string,
    private readonly port: number,
  ) {}

  /** Sends one request (headers and body, prepared by `postRequest`); resolves with the status, 0 on a broken connection. */
  send(request: Buffer): Promise<number> {
    return new Promise((resolve) => {
      this.waiting = { resolve };
      this.connected().write(request);
    });
  }

  close() {
    this.socket?.destroy();
    this.socket = null;
  }

  private connected(): net.Socket {
    if (this.socket) return this.socket;
    const socket = net.connect(this.port, this.host);
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      this.buffered = this.buffered.length ? Buffer.concat([this.buffered, chunk]) : chunk;
      this.parse();
    });
    const broken = () => {
      if (this.socket === socket) this.socket = null;
      this.buffered = Buffer.alloc(0);
      this.finish(0);
    };
    socket.on('error', broken);
    socket.on('close', broken);
    this.socket = socket;
    return socket;
  }

  private finish(status: number) {
    const w = this.waiting;
    this.waiting = null;
    w?.resolve(status);
  }

  /** One complete response in the buffer → its status; bodies are skipped by length or chunk sizes. */
  private parse() {
    const headerEnd = this.buffered.indexOf('\r\n\r\n');
    if (headerEnd < 0) return;
    const head = this.buffered.toString('latin1', 0, headerEnd);
    const status = Number(head.slice(9, 12));
    const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
    let end: number;
    if (length) {
      end = headerEnd + 4 + Number(length[1]);
      if (this.buffered.length < end) return;
    } else if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) {
      let at = headerEnd + 4;
      for (;;) {
        const lineEnd = this.buffered.indexOf('\r\n', at);
        if (lineEnd < 0) return;
        const size = Number.parseInt(this.buffered.toString('latin1', at, lineEnd), 16);
        at = lineEnd + 2 + size + 2;
        if (this.buffered.length < at) return;
        if (size === 0) break;
      }
      end = at;
    } else {
      end = headerEnd + 4;
    }
    this.buffered = this.buffered.subarray(end);
    this.finish(status);
  }
}

/** The bytes of a POST with a body, as the SDK's transport would send it over a kept-alive connection. */
export function postRequest(target: URL, body: Buffer, headers: Record<string, string>): Buffer {
  const lines = [`POST ${target.pathname}${target.search} HTTP/1.1`, `Host: ${target.host}`, 'Connection: keep-alive', `Content-Length: ${body.length}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
  return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), body]);
}
