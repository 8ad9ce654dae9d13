/**
 * One sink's sender: a bounded queue that `enqueue` only appends to (no I/O, no await: the
 * switchboard's tap calls it), drained in order one request at a time, each attempt with its own
 * timeout, retried with exponential backoff (408, 429 after its Retry-After, 5xx, network errors)
 * up to the settings' attempts. Any other 4xx is a refusal, logged once and not retried.
 */
import type { Logger } from 'pino';
import type { Notification } from './notification.js';
import type { Sink } from './sinks.js';

/** The first wait between attempts, ms; it doubles each time. */
export const BACKOFF_MS = 500;
/** The longest wait between attempts, ms. */
export const MAX_BACKOFF_MS = 60_000;
/** The longest Retry-After honoured, ms (a sink asking for more gets this). */
export const MAX_RETRY_AFTER_MS = 300_000;

export interface SenderOptions {
  /** Attempts per notification before it is given up (logged). */
  readonly attempts: number;
  /** How long one attempt may take, response body included, ms. */
  readonly timeoutMs: number;
  /** Notifications held while the sink is slow or down; past it, the oldest are dropped. */
  readonly maxQueue: number;
  readonly fetch: typeof fetch;
  readonly sleep: (ms: number) => Promise<void>;
  /** Wall clock, epoch ms (to read a Retry-After date). */
  readonly wallMs: () => number;
  readonly log: Logger;
  /** Masks secrets (URLs, the bot token) in a text before it is logged. */
  readonly mask: (text: string) => string;
}

/** The wait after failed attempt `attempt` (1-based), ms: 500, 1000, 2000... at most 60 s. */
export function backoffMs(attempt: number): number {
  return Math.min(MAX_BACKOFF_MS, BACKOFF_MS * 2 ** Math.max(0, attempt - 1));
}

/** A Retry-After header (seconds, or an HTTP date) as a wait in ms; null when absent or unreadable. */
export function retryAfterMs(header: string | null, nowMs: number): number | null {
  if (header === null || header.trim() === '') return null;
  const v = header.trim();
  const ms = /^\d+(\.\d+)?$/.test(v) ? Number(v) * 1000 : Date.parse(v) - nowMs;
  if (!Number.isFinite(ms)) return null;
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, Math.ceil(ms)));
}

type Outcome =
  | { readonly ok: true }
  | { readonly ok: false; readonly retry: boolean; readonly why: string; readonly waitMs?: number };

export class SinkSender {
  private queue: (Notification | undefined)[] = [];
  private head = 0;
  private dropped = 0;
  private scheduled = false;
  private sending = false;
  private closed = false;
  private idleWaiters: (() => void)[] = [];
  private readonly closing = new AbortController();

  constructor(
    readonly sink: Sink,
    private readonly o: SenderOptions,
  ) {}

  /** Notifications waiting, the one being sent not included. */
  get queued(): number {
    return this.queue.length - this.head;
  }

  /** Appends `n` (dropping the oldest past the bound) and has the queue drained soon after. */
  enqueue(n: Notification): void {
    if (this.closed) return;
    this.queue.push(n);
    if (this.queue.length - this.head > this.o.maxQueue) {
      this.queue[this.head++] = undefined;
      this.dropped++;
    }
    if (this.scheduled || this.sending) return;
    this.scheduled = true;
    // Sending starts once the switchboard's synchronous delivery is over, never inside it.
    queueMicrotask(() => {
      this.scheduled = false;
      void this.pump();
    });
  }

  /** Resolves once nothing is queued or being sent (or the sender is closed). */
  idle(): Promise<void> {
    if (this.closed || (!this.scheduled && !this.sending && this.queued === 0))
      return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops sending: the request in flight is aborted and what is queued is dropped (logged). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.closing.abort();
    this.reportDropped();
    if (this.queued > 0)
      this.o.log.warn(
        { sink: this.sink.label, unsent: this.queued },
        'notifications not sent: the sender stopped',
      );
    this.queue = [];
    this.head = 0;
    this.wake();
  }

  private async pump(): Promise<void> {
    if (this.sending) return;
    this.sending = true;
    try {
      while (!this.closed && this.head < this.queue.length) {
        const n = this.queue[this.head]!;
        this.queue[this.head++] = undefined;
        if (this.head > 1024 && this.head * 2 > this.queue.length) {
          this.queue = this.queue.slice(this.head);
          this.head = 0;
        }
        await this.deliver(n);
        this.reportDropped();
      }
    } finally {
      this.sending = false;
      if (this.closed || this.head >= this.queue.length) this.wake();
    }
  }

  private wake(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }

  private reportDropped(): void {
    if (this.dropped === 0) return;
    this.o.log.warn(
      { sink: this.sink.label, dropped: this.dropped, maxQueue: this.o.maxQueue },
      'notification queue full: dropped the oldest notifications (NOTIFY__MAX_QUEUE)',
    );
    this.dropped = 0;
  }

  private async deliver(n: Notification): Promise<void> {
    const body = this.sink.body(n);
    const about = { sink: this.sink.label, kind: n.kind, seq: n.seq };
    for (let attempt = 1; ; attempt++) {
      const out = await this.attempt(body);
      if (out.ok) {
        if (attempt > 1) this.o.log.info({ ...about, attempts: attempt }, 'notification sent');
        return;
      }
      if (this.closed) return;
      if (!out.retry) {
        this.o.log.warn(
          { ...about, error: out.why },
          'notification refused by its sink; not retried (check the sink settings, NOTIFY__*)',
        );
        return;
      }
      if (attempt >= this.o.attempts) {
        this.o.log.warn(
          { ...about, attempts: attempt, error: out.why },
          'notification not sent: every attempt failed (NOTIFY__ATTEMPTS)',
        );
        return;
      }
      const wait = out.waitMs ?? backoffMs(attempt);
      this.o.log.debug({ ...about, attempt, waitMs: wait, error: out.why }, 'notification retry');
      await this.o.sleep(wait);
      if (this.closed) return;
    }
  }

  private async attempt(body: string): Promise<Outcome> {
    const signal = AbortSignal.any([AbortSignal.timeout(this.o.timeoutMs), this.closing.signal]);
    try {
      const res = await this.o.fetch(this.sink.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        signal,
      });
      const text = await res.text();
      if (res.ok) return { ok: true };
      const why = this.o.mask(`HTTP ${res.status}${text === '' ? '' : `: ${text.slice(0, 200)}`}`);
      if (res.status === 429) {
        const wait = retryAfterMs(res.headers.get('retry-after'), this.o.wallMs());
        return { ok: false, retry: true, why, ...(wait === null ? {} : { waitMs: wait }) };
      }
      const refused = res.status >= 400 && res.status < 500 && res.status !== 408;
      return { ok: false, retry: !refused, why };
    } catch (err) {
      return { ok: false, retry: true, why: this.describe(err) };
    }
  }

  /** An attempt's failure in words, secrets masked. */
  private describe(err: unknown): string {
    if (err instanceof Error && err.name === 'TimeoutError')
      return `no answer within ${this.o.timeoutMs} ms (NOTIFY__TIMEOUT_MS)`;
    const e = err as {
      name?: unknown;
      message?: unknown;
      cause?: { code?: unknown; message?: unknown };
    };
    const cause = e.cause;
    const detail =
      cause === undefined || cause === null
        ? ''
        : ` (${[cause.code, cause.message].filter((x) => typeof x === 'string').join(': ')})`;
    return this.o.mask(`${String(e.name ?? 'Error')}: ${String(e.message ?? err)}${detail}`);
  }
}
