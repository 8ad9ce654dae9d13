import { describe, expect, it } from 'vitest';
import { apiError, deadLetter, OPERATOR, testApi } from '../../test/helpers/api.js';

const REPLAY = '/api/v1/dlq/market.ticks/replay';

/** A body of `n` bytes streamed in 64 KiB chunks, without a Content-Length; counts what was pulled. */
function streamed(n: number): { body: ReadableStream<Uint8Array>; pulled: () => number } {
  let sent = 0;
  const chunk = new Uint8Array(64 * 1024).fill(0x20);
  return {
    pulled: () => sent,
    body: new ReadableStream<Uint8Array>({
      pull(ctl) {
        if (sent >= n) return ctl.close();
        const part = chunk.subarray(0, Math.min(chunk.length, n - sent));
        sent += part.length;
        ctl.enqueue(part);
      },
    }),
  };
}

describe('body size', () => {
  it('answers 413 by a Content-Length past what it drains, before reading the body', async () => {
    const { app, calls } = testApi([deadLetter(5)], { maxBodyBytes: 1024 });
    const big = streamed(200 * 2 ** 20);
    const res = await app.request(REPLAY, {
      method: 'POST',
      headers: {
        ...OPERATOR,
        'content-type': 'application/json',
        'content-length': String(200 * 2 ** 20),
      },
      body: big.body,
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
    // The unread rest of the body leaves the connection unusable: the client is told so.
    expect(res.headers.get('connection')).toBe('close');
    expect(await apiError(res)).toEqual({
      code: 'BODY_TOO_LARGE',
      message: 'the body is larger than 1024 bytes, the limit API__MAX_BODY_BYTES sets',
    });
    // The stream's first pull may have happened; nothing near the whole body was.
    expect(big.pulled()).toBeLessThanOrEqual(64 * 1024);
    expect(calls).toEqual([]);
  });

  it('answers 413 once a streamed body passes what it drains, closing the connection', async () => {
    const { app, calls } = testApi([deadLetter(5)], { maxBodyBytes: 100_000 });
    const big = streamed(200 * 2 ** 20);
    const res = await app.request(REPLAY, {
      method: 'POST',
      headers: { ...OPERATOR, 'content-type': 'application/json' },
      body: big.body,
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(res.headers.get('connection')).toBe('close');
    expect((await apiError(res)).code).toBe('BODY_TOO_LARGE');
    // Read (and discarded) up to 64 MiB, then no more; only the limit's worth was ever held.
    expect(big.pulled()).toBeGreaterThan(64 * 2 ** 20);
    expect(big.pulled()).toBeLessThan(64 * 2 ** 20 + 400_000);
    expect(calls).toEqual([]);
  });

  it('reads a body somewhat over the limit to its end, so the client can read its 413', async () => {
    for (const announce of [true, false]) {
      const { app, calls } = testApi([deadLetter(5)], { maxBodyBytes: 100_000 });
      const size = 2 * 2 ** 20;
      const big = streamed(size);
      const res = await app.request(REPLAY, {
        method: 'POST',
        headers: {
          ...OPERATOR,
          'content-type': 'application/json',
          ...(announce ? { 'content-length': String(size) } : {}),
        },
        body: big.body,
        duplex: 'half',
      } as RequestInit);
      expect(res.status).toBe(413);
      expect((await apiError(res)).code).toBe('BODY_TOO_LARGE');
      expect(big.pulled()).toBe(size);
      expect(res.headers.get('connection')).toBeNull();
      expect(calls).toEqual([]);
    }
  });

  it('takes a body up to the limit', async () => {
    const body = JSON.stringify({ dryRun: true });
    const { app } = testApi([deadLetter(5)], { maxBodyBytes: body.length });
    const res = await app.request(REPLAY, {
      method: 'POST',
      headers: { ...OPERATOR, 'content-type': 'application/json; charset=UTF-8' },
      body,
    });
    expect(res.status).toBe(200);
  });
});

describe('content type of writes', () => {
  it('refuses a write route with another Content-Type with 415 even when it reads no body', async () => {
    const { app } = testApi();
    // No such route: the type is refused first, for every write.
    const res = await app.request('/api/v1/anything', {
      method: 'POST',
      headers: { ...OPERATOR, 'content-type': 'text/plain' },
      body: 'x',
    });
    expect(res.status).toBe(415);
    expect((await apiError(res)).code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const untyped = await app.request('/api/v1/anything', {
      method: 'POST',
      headers: { ...OPERATOR, 'content-length': '2' },
      body: new TextEncoder().encode('{}'),
    });
    expect(untyped.status).toBe(415);
  });
});
