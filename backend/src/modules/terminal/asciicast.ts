import fs from 'node:fs';
import path from 'node:path';

/** Where recordings of an installation live: one asciicast v2 file per session. */
export function recordingPath(dataDir: string, sessionId: string) {
  return path.join(dataDir, 'terminal-recordings', `${sessionId}.cast`);
}

export function writeCastHeader(file: string, cols: number, rows: number) {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const header = { version: 2, width: cols, height: rows, timestamp: Math.floor(Date.now() / 1000), env: { TERM: 'xterm-256color' } };
  fs.writeFileSync(file, `${JSON.stringify(header)}\n`, { mode: 0o600, flag: 'wx' });
}

/**
 * Appends output events (`[seconds, "o", text]`) and resizes (`[seconds, "r", "COLSxROWS"]`) to a
 * recording. Text is decoded as a stream, so a character split across two chunks stays whole;
 * chunks at or below the last recorded sequence (a resume's replay) are skipped.
 */
export class CastRecorder {
  private readonly decoder = new TextDecoder('utf-8');
  private readonly started: number;
  private lastSeq = 0;
  private readonly fd: number;

  constructor(file: string, startedAt: Date) {
    this.fd = fs.openSync(file, 'a', 0o600);
    this.started = startedAt.getTime();
  }

  private event(kind: 'o' | 'r', text: string) {
    const t = Math.max(0, (Date.now() - this.started) / 1000);
    fs.writeSync(this.fd, `${JSON.stringify([Number(t.toFixed(6)), kind, text])}\n`);
  }

  output(seq: number, data: Uint8Array) {
    if (seq <= this.lastSeq) return;
    this.lastSeq = seq;
    const text = this.decoder.decode(data, { stream: true });
    if (text) this.event('o', text);
  }

  resize(cols: number, rows: number) {
    this.event('r', `${cols}x${rows}`);
  }

  close() {
    try {
      fs.closeSync(this.fd);
    } catch {
      /* closed */
    }
  }
}
