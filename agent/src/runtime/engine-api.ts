import fs from 'node:fs';
import http from 'node:http';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** One event of the engine's build progress stream (JSON lines). */
export interface BuildEvent {
  stream?: string;
  status?: string;
  error?: string;
  errorDetail?: { message?: string };
  aux?: { ID?: string };
}

export class EngineError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * A minimal Docker Engine API client over a unix socket (Docker or `podman system service`): the
 * handful of calls the docker runtime needs. The agent ships as one bundled file, and dockerode's
 * transport (ssh2, native bindings) does not bundle; the backend, which is not bundled, uses dockerode.
 */
export class EngineApi {
  constructor(private readonly socketPath: string) {}

  request(method: string, path: string, body?: unknown): Promise<http.IncomingMessage> {
    return new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = http.request({ socketPath: this.socketPath, method, path: `/v1.41${path}`, headers: payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {} }, resolve);
      req.on('error', reject);
      req.end(payload);
    });
  }

  async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await this.request(method, path, body);
    let text = '';
    for await (const chunk of res) text += (chunk as Buffer).toString();
    if ((res.statusCode ?? 500) >= 400) {
      let message = text;
      try {
        message = (JSON.parse(text) as { message?: string }).message ?? text;
      } catch {
        /* plain text */
      }
      throw new EngineError(res.statusCode ?? 500, message.trim());
    }
    return (text ? JSON.parse(text) : undefined) as T;
  }

  async hasImage(ref: string): Promise<boolean> {
    const res = await this.request('GET', `/images/${encodeURIComponent(ref)}/json`);
    res.resume();
    return (res.statusCode ?? 404) < 300;
  }

  /** `docker load` of an image archive file. */
  loadImage(file: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const req = http.request({ socketPath: this.socketPath, method: 'POST', path: '/v1.41/images/load', headers: { 'content-type': 'application/x-tar' } }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => ((res.statusCode ?? 500) < 300 && !/"error"/.test(text) ? resolve() : reject(new EngineError(res.statusCode ?? 500, `image load failed: ${text.slice(0, 500)}`))));
      });
      req.on('error', reject);
      fs.createReadStream(file).on('error', reject).pipe(req);
    });
  }

  /**
   * `docker build` of a tar'd context (`POST /build`): streams the engine's progress events to
   * `onEvent`; rejects on a transport error. Aborting `signal` drops the connection, which stops the build.
   */
  buildImage(context: Readable, opts: { tag: string; dockerfile: string }, onEvent: (e: BuildEvent) => void, signal?: AbortSignal): Promise<void> {
    const query = new URLSearchParams({ t: opts.tag, dockerfile: opts.dockerfile, rm: '1', forcerm: '1' });
    return new Promise((resolve, reject) => {
      const req = http.request({ socketPath: this.socketPath, method: 'POST', path: `/v1.41/build?${query}`, headers: { 'content-type': 'application/x-tar' }, signal }, (res) => {
        let rest = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          const lines = (rest + chunk).split('\n');
          rest = lines.pop() ?? '';
          for (const line of lines) if (line.trim()) onEvent(parseEvent(line));
        });
        res.on('end', () => {
          if (rest.trim()) onEvent(parseEvent(rest));
          if ((res.statusCode ?? 500) >= 400) reject(new EngineError(res.statusCode ?? 500, 'the engine refused the build'));
          else resolve();
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      context.on('error', (err) => req.destroy(err));
      context.pipe(req);
    });
  }

  /** `docker save` of one image into `file` (the archive other servers load). */
  async saveImage(ref: string, file: string): Promise<void> {
    const res = await this.request('GET', `/images/${encodeURIComponent(ref)}/get`);
    if ((res.statusCode ?? 500) >= 400) {
      res.resume();
      throw new EngineError(res.statusCode ?? 500, `could not export image ${ref}`);
    }
    await pipeline(res, fs.createWriteStream(file));
  }

  /** Follows a container's multiplexed log stream (8-byte frame headers: stream type, size). */
  async followLogs(id: string, onChunk: (stream: 'stdout' | 'stderr', data: Buffer) => void): Promise<void> {
    const res = await this.request('GET', `/containers/${id}/logs?follow=1&stdout=1&stderr=1`);
    let buf = Buffer.alloc(0);
    res.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      while (buf.length >= 8) {
        const size = buf.readUInt32BE(4);
        if (buf.length < 8 + size) break;
        onChunk(buf[0] === 2 ? 'stderr' : 'stdout', buf.subarray(8, 8 + size));
        buf = buf.subarray(8 + size);
      }
    });
  }
}

function parseEvent(line: string): BuildEvent {
  try {
    return JSON.parse(line) as BuildEvent;
  } catch {
    return { stream: line };
  }
}
