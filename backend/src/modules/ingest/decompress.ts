import { promisify } from 'node:util';
import zlib from 'node:zlib';

/** The body is not what its Content-Encoding says (bad gzip, truncated stream). */
export class DecodeError extends Error {}
/** The body inflates past the bound: a bomb or simply too big. */
export class InflateLimitError extends Error {}

const gunzip = promisify(zlib.gunzip);
const inflate = promisify(zlib.inflate);
const inflateRaw = promisify(zlib.inflateRaw);
const brotli = promisify(zlib.brotliDecompress);

/**
 * Undoes `Content-Encoding` (gzip, deflate, br; `identity` or none as is), never producing more
 * than `maxBytes`: zlib stops at `maxOutputLength`, so a gzip bomb costs at most that much memory.
 * Runs on libuv's thread pool, not the event loop.
 */
export async function decodeBody(body: Buffer, encoding: string | undefined, maxBytes: number): Promise<Buffer> {
  const enc = (encoding ?? '').trim().toLowerCase();
  if (!enc || enc === 'identity') return body;
  const opts = { maxOutputLength: maxBytes };
  try {
    if (enc === 'gzip' || enc === 'x-gzip') return await gunzip(body, opts);
    if (enc === 'br') return await brotli(body, opts);
    if (enc === 'deflate') {
      // "deflate" is zlib-wrapped by the RFC, raw in some clients: try both.
      try {
        return await inflate(body, opts);
      } catch (err) {
        if (isTooLarge(err)) throw err;
        return await inflateRaw(body, opts);
      }
    }
  } catch (err) {
    if (isTooLarge(err)) throw new InflateLimitError(`the body inflates past ${maxBytes} bytes`);
    throw new DecodeError(`the body is not valid ${enc}`);
  }
  throw new DecodeError(`unsupported Content-Encoding "${enc}" (gzip, deflate, br)`);
}

function isTooLarge(err: unknown) {
  const code = (err as { code?: string }).code;
  return code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError;
}
