import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { startWebhookSink, type WebhookSink } from '../../../test/helpers/webhook-sink.js';
import type { Notification } from './notification.js';
import {
  backoffMs,
  MAX_RETRY_AFTER_MS,
  retryAfterMs,
  SinkSender,
  type SenderOptions,
} from './sink-sender.js';
import { webhookSink, type Sink } from './sinks.js';

const NOW = Date.UTC(2026, 0, 5, 3, 45);

const note = (seq: number): Notification => ({
  kind: 'halt',
  severity: 'critical',
  broker: 'paper',
  reason: `halt ${seq}`,
  seq,
  at: new Date(NOW).toISOString(),
});

interface Rig {
  readonly sender: SinkSender;
  /** Each backoff wait asked for, ms (the injected sleep returns at once). */
  readonly waits: number[];
  logs(): Record<string, unknown>[];
}

function rig(sink: Sink, over: Partial<SenderOptions> = {}): Rig {
  const waits: number[] = [];
  const lines: string[] = [];
  const log = pino({ level: 'debug' }, { write: (s: string) => void lines.push(s) });
  const sender = new SinkSender(sink, {
    attempts: 6,
    timeoutMs: 5000,
    maxQueue: 100,
    fetch,
    sleep: (ms) => {
      waits.push(ms);
      return Promise.resolve();
    },
    wallMs: () => NOW,
    log,
    mask: (t) => t,
    ...over,
  });
  return { sender, waits, logs: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

/** A fetch whose calls wait until the test answers them (or their signal aborts). */
function heldFetch() {
  const calls: { body: string; signal: AbortSignal; answer: (status: number) => void }[] = [];
  const f = ((_url: string, init: RequestInit) =>
    new Promise<Response>((resolve, reject) => {
      const signal = init.signal!;
      signal.addEventListener('abort', () => reject(signal.reason as Error));
      calls.push({
        body: init.body as string,
        signal,
        answer: (status) => resolve(new Response(null, { status })),
      });
    })) as typeof fetch;
  return { f, calls };
}

const seqsOf = (bodies: readonly unknown[]) => bodies.map((b) => (b as Notification).seq);
const flush = () => new Promise((r) => setImmediate(r));

let sink: WebhookSink | undefined;
afterEach(async () => {
  await sink?.close();
  sink = undefined;
});

describe('SinkSender', () => {
  it('retries a failing sink with exponential backoff until it takes the notification, once', async () => {
    sink = await startWebhookSink();
    sink.failNext(2);
    const r = rig(webhookSink(`${sink.origin}/hook`));
    r.sender.enqueue(note(7));
    await r.sender.idle();
    expect(sink.requests.map((q) => q.status)).toEqual([500, 500, 200]);
    expect(seqsOf(sink.delivered().map((q) => q.body))).toEqual([7]);
    expect(sink.delivered()[0]!.headers['content-type']).toBe('application/json');
    expect(r.waits).toEqual([500, 1000]);
    expect(r.logs().find((l) => l['msg'] === 'notification sent')).toMatchObject({
      attempts: 3,
      seq: 7,
    });
  });

  it('does not retry a 400, logs it once, and goes on with the next notification', async () => {
    sink = await startWebhookSink();
    sink.failNext(1, 400);
    const r = rig(webhookSink(`${sink.origin}/hook`));
    r.sender.enqueue(note(1));
    r.sender.enqueue(note(2));
    await r.sender.idle();
    expect(sink.requests.map((q) => q.status)).toEqual([400, 200]);
    expect(seqsOf(sink.delivered().map((q) => q.body))).toEqual([2]);
    expect(r.waits).toEqual([]);
    const refused = r.logs().filter((l) => String(l['msg']).startsWith('notification refused'));
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({ level: 40, seq: 1 });
    expect(refused[0]!['error']).toContain('HTTP 400');
  });

  it('retries a 408 like a 5xx', async () => {
    sink = await startWebhookSink();
    sink.failNext(1, 408);
    const r = rig(webhookSink(`${sink.origin}/hook`));
    r.sender.enqueue(note(1));
    await r.sender.idle();
    expect(sink.requests.map((q) => q.status)).toEqual([408, 200]);
  });

  it('waits what a 429 asks in Retry-After, in seconds or as a date', async () => {
    sink = await startWebhookSink();
    sink.failNext(1, 429, { 'retry-after': '7' });
    sink.failNext(1, 429, { 'retry-after': new Date(NOW + 3000).toUTCString() });
    const r = rig(webhookSink(`${sink.origin}/hook`));
    r.sender.enqueue(note(1));
    await r.sender.idle();
    expect(sink.requests.map((q) => q.status)).toEqual([429, 429, 200]);
    expect(r.waits).toEqual([7000, 3000]);
  });

  it('gives a notification up after NOTIFY__ATTEMPTS attempts, logged', async () => {
    sink = await startWebhookSink();
    sink.failNext(3, 503);
    const r = rig(webhookSink(`${sink.origin}/hook`), { attempts: 3 });
    r.sender.enqueue(note(1));
    await r.sender.idle();
    expect(sink.requests).toHaveLength(3);
    expect(sink.delivered()).toEqual([]);
    expect(r.logs().find((l) => String(l['msg']).includes('every attempt failed'))).toMatchObject({
      attempts: 3,
      seq: 1,
      error: expect.stringContaining('HTTP 503') as unknown,
    });
  });

  it('sends in order, one request at a time, never inside enqueue', async () => {
    const held = heldFetch();
    const r = rig(webhookSink('http://127.0.0.1:9/hook'), { fetch: held.f });
    for (let i = 1; i <= 3; i++) r.sender.enqueue(note(i));
    expect(held.calls).toHaveLength(0);
    for (let i = 1; i <= 3; i++) {
      await flush();
      expect(held.calls).toHaveLength(i);
      held.calls[i - 1]!.answer(200);
    }
    await r.sender.idle();
    expect(held.calls.map((c) => (JSON.parse(c.body) as Notification).seq)).toEqual([1, 2, 3]);
  });

  it('drops the oldest queued notifications past NOTIFY__MAX_QUEUE and logs how many', async () => {
    const held = heldFetch();
    const r = rig(webhookSink('http://127.0.0.1:9/hook'), { fetch: held.f, maxQueue: 3 });
    r.sender.enqueue(note(1));
    await flush();
    expect(held.calls).toHaveLength(1); // 1 is in flight, the sink hangs
    for (let i = 2; i <= 6; i++) r.sender.enqueue(note(i));
    expect(r.sender.queued).toBe(3);
    for (let answered = 0; answered < 4; answered++) {
      await flush();
      held.calls[answered]!.answer(200);
    }
    await r.sender.idle();
    expect(held.calls.map((c) => (JSON.parse(c.body) as Notification).seq)).toEqual([1, 4, 5, 6]);
    const dropped = r.logs().filter((l) => String(l['msg']).startsWith('notification queue full'));
    expect(dropped).toEqual([expect.objectContaining({ dropped: 2, maxQueue: 3 })]);
  });

  it('gives each attempt NOTIFY__TIMEOUT_MS, then retries', async () => {
    const held = heldFetch();
    const r = rig(webhookSink('http://127.0.0.1:9/hook'), {
      fetch: held.f,
      attempts: 2,
      timeoutMs: 20,
    });
    r.sender.enqueue(note(1));
    await r.sender.idle();
    expect(held.calls).toHaveLength(2);
    for (const c of held.calls) expect((c.signal.reason as Error).name).toBe('TimeoutError');
    expect(r.logs().find((l) => String(l['msg']).includes('every attempt failed'))).toMatchObject({
      error: 'no answer within 20 ms (NOTIFY__TIMEOUT_MS)',
    });
  });

  it('on close, aborts the request in flight and reports what was not sent', async () => {
    const held = heldFetch();
    const r = rig(webhookSink('http://127.0.0.1:9/hook'), { fetch: held.f });
    r.sender.enqueue(note(1));
    r.sender.enqueue(note(2));
    await flush();
    const idle = r.sender.idle();
    r.sender.close();
    await idle;
    expect(held.calls[0]!.signal.aborted).toBe(true);
    expect(
      r.logs().find((l) => String(l['msg']).startsWith('notifications not sent')),
    ).toMatchObject({ unsent: 1 });
    r.sender.enqueue(note(3));
    await flush();
    expect(held.calls).toHaveLength(1);
  });
});

describe('backoff', () => {
  it('doubles from 500 ms up to 60 s', () => {
    expect([1, 2, 3, 4, 8, 20].map(backoffMs)).toEqual([500, 1000, 2000, 4000, 60_000, 60_000]);
  });

  it('reads Retry-After as seconds or a date, bounded', () => {
    expect(retryAfterMs('2', NOW)).toBe(2000);
    expect(retryAfterMs('0.5', NOW)).toBe(500);
    expect(retryAfterMs(new Date(NOW + 10_000).toUTCString(), NOW)).toBe(10_000);
    expect(retryAfterMs(new Date(NOW - 10_000).toUTCString(), NOW)).toBe(0);
    expect(retryAfterMs('86400', NOW)).toBe(MAX_RETRY_AFTER_MS);
    expect(retryAfterMs(null, NOW)).toBeNull();
    expect(retryAfterMs('soon', NOW)).toBeNull();
  });
});
