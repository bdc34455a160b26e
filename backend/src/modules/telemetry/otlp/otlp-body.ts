/**
 * Reads an OTLP request body with both bounds the issue sets: at most `limit` bytes on the wire and
 * at most `limit` bytes after decompression. zlib's `maxOutputLength` stops inflating as soon as the
 * output passes the bound, so a gzip bomb costs at most `limit` bytes of memory, never its full size.
 */
import type { IncomingMessage } from 'node:http';
import { promisify } from 'node:util';
import zlib from 'node:zlib';

const gunzip = promisify(zlib.gunzip);
const inflate = promisify(zlib.inflate);

export class BodyTooLargeError extends Error {}
export class BodyEncodingError extends Error {
  constructor(
    message: string,
    /** 415 for an encoding this server does not speak, 400 for a body that is not what it claims. */
    readonly status: 400 | 415 = 400,
  ) {
    super(message);
  }
}

/** The body as sent, at most `limit` bytes. Throws BodyTooLargeError (413) or BodyEncodingError (a cut-off upload). */
export async function readRawBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw new BodyTooLargeError(`Request body of ${declared} bytes is over the ${limit}-byte limit`);
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > limit) throw new BodyTooLargeError(`Request body is over the ${limit}-byte limit`);
      chunks.push(chunk);
    }
  } catch (err) {
    if (err instanceof BodyTooLargeError) throw err;
    throw new BodyEncodingError('Request body could not be read (the upload was cut off)');
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
}

/** The body decompressed per its Content-Encoding, at most `limit` bytes. Throws BodyTooLargeError (413) or BodyEncodingError (400/415). */
export async function decompressBody(raw: Buffer, contentEncoding: string | undefined, limit: number): Promise<Buffer> {
  const encoding = (contentEncoding ?? 'identity').trim().toLowerCase();
  if (encoding === 'identity' || encoding === '') return raw;
  const inflater = encoding === 'gzip' ? gunzip : encoding === 'deflate' ? inflate : null;
  if (!inflater) throw new BodyEncodingError(`Content-Encoding ${encoding} is not supported (use gzip)`, 415);
  try {
    return await inflater(raw, { maxOutputLength: limit });
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new BodyTooLargeError(`Request body is over the ${limit}-byte limit once decompressed`);
    }
    throw new BodyEncodingError(`Request body is not valid ${encoding} data`);
  }
}
