import net from 'node:net';

/** Sends `text` as is on a fresh TCP connection; resolves with what came back before close (or 3 s). */
export function rawHttp(port: number, text: string | Buffer, host = '127.0.0.1'): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const socket = net.connect(port, host, () => socket.write(text));
    const done = () => resolve(Buffer.concat(chunks).toString('latin1'));
    socket.setTimeout(3000, () => socket.destroy());
    socket.on('data', (c) => chunks.push(c));
    socket.on('close', done);
    socket.on('error', () => undefined);
  });
}

/** The status code of a raw HTTP answer, or null when the connection closed without one. */
export function statusOf(answer: string): number | null {
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(answer);
  return m ? Number(m[1]) : null;
}
