/**
 * The body of a write, read at most once and never held past API__MAX_BODY_BYTES. A body over the
 * limit is read to its end and discarded before the 413 is sent (up to DRAIN_LIMIT_BYTES): the
 * client, still sending, then reads the answer instead of a reset connection, and the connection
 * stays usable. A body larger still gets its 413 at once and the connection is closed.
 */
import type { Context } from 'hono';
import { ApiError } from './api-error.js';

/** How much of a refused body is read and discarded to keep its connection, bytes. */
const DRAIN_LIMIT_BYTES = 64 * 2 ** 20;

const bodies = new WeakMap<Request, string>();

function tooLarge(maxBytes: number, c: Context, closing: boolean): ApiError {
  if (closing) c.header('Connection', 'close');
  return new ApiError(
    413,
    'BODY_TOO_LARGE',
    `the body is larger than ${maxBytes} bytes, the limit API__MAX_BODY_BYTES sets`,
  );
}

/** Reads the rest of `reader` and discards it; false when more than `budget` bytes came. */
async function discard(reader: ReadableStreamDefaultReader<Uint8Array>, budget: number) {
  for (let seen = 0; ;) {
    const { done, value } = await reader.read();
    if (done) return true;
    seen += value.byteLength;
    if (seen > budget) {
      await reader.cancel().catch(() => undefined);
      return false;
    }
  }
}

/**
 * Reads the request's body (UTF-8) into memory if it is at most `maxBytes`, for `bodyText`;
 * throws the 413 otherwise, after discarding the rest of it.
 */
export async function readBodyWithin(c: Context, maxBytes: number): Promise<void> {
  const stream = c.req.raw.body;
  if (stream === null) {
    bodies.set(c.req.raw, '');
    return;
  }
  const announced = Number(c.req.header('content-length') ?? Number.NaN);
  const reader = stream.getReader();
  if (announced > DRAIN_LIMIT_BYTES) {
    await reader.cancel().catch(() => undefined);
    throw tooLarge(maxBytes, c, true);
  }
  if (announced > maxBytes)
    throw tooLarge(maxBytes, c, !(await discard(reader, DRAIN_LIMIT_BYTES)));
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes)
      throw tooLarge(maxBytes, c, !(await discard(reader, DRAIN_LIMIT_BYTES - size)));
    chunks.push(value);
  }
  bodies.set(c.req.raw, Buffer.concat(chunks, size).toString('utf8'));
}

/** The body `readBodyWithin` read for this request. */
export function bodyText(c: Context): Promise<string> {
  const text = bodies.get(c.req.raw);
  return text === undefined ? c.req.text() : Promise.resolve(text);
}
