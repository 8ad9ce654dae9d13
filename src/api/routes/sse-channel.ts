/**
 * One server-sent events response with a bounded queue: frames wait in the response stream
 * while the socket is slow; past `maxQueued` the client is told it fell behind (a final
 * `event: error`) and disconnected, to resume with Last-Event-ID. Heartbeat comments keep idle
 * connections (and the proxies between) open.
 */
import { publicText } from '../public-text.js';

/** The timers a channel uses: the host's by default, fake ones in tests. */
export interface StreamTimers {
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const HOST_TIMERS: StreamTimers = {
  setInterval: (fn, ms) => setInterval(fn, ms),
  clearInterval: (h) => clearInterval(h as NodeJS.Timeout),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

export interface SseFrame {
  /** The `id:` field: the seq a client resumes after. */
  readonly id?: number;
  /** The `event:` field; absent for a plain message. */
  readonly event?: string;
  /** JSON-encoded into the `data:` field. */
  readonly data: unknown;
}

export interface SseChannelOptions {
  /** Frames (events and heartbeats) the response may hold unsent before the client is dropped. */
  readonly maxQueued: number;
  readonly heartbeatMs: number;
  readonly timers: StreamTimers;
  /** Called once when the channel closes, whoever closes it. */
  readonly onClose: () => void;
}

const encoder = new TextEncoder();

function encode(f: SseFrame): Uint8Array {
  let s = '';
  if (f.id !== undefined) s += `id: ${f.id}\n`;
  if (f.event !== undefined) s += `event: ${f.event}\n`;
  for (const line of JSON.stringify(f.data).split('\n')) s += `data: ${line}\n`;
  return encoder.encode(`${s}\n`);
}

export class SseChannel {
  readonly response: Response;
  private controller!: ReadableStreamDefaultController<Uint8Array>;
  private closedFlag = false;
  private readonly heartbeat: unknown;
  private roomWaiters: (() => void)[] = [];

  constructor(private readonly o: SseChannelOptions) {
    const stream = new ReadableStream<Uint8Array>(
      {
        start: (c) => {
          this.controller = c;
        },
        pull: () => this.wake(),
        cancel: () => this.end(),
      },
      new CountQueuingStrategy({ highWaterMark: o.maxQueued }),
    );
    this.response = new Response(stream, {
      headers: {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        'x-accel-buffering': 'no',
      },
    });
    // A first comment, so the client sees the stream open before the first event.
    this.enqueue(encoder.encode(': open\n\n'));
    this.heartbeat = o.timers.setInterval(
      () => this.enqueue(encoder.encode(': ♥\n\n')),
      o.heartbeatMs,
    );
  }

  get closed(): boolean {
    return this.closedFlag;
  }

  /** Queues one frame; a client past the bound is sent a final error and disconnected. */
  send(frame: SseFrame): void {
    this.enqueue(encode(frame));
  }

  /**
   * Resolves once the client has taken at least half of what is queued (at once when it has):
   * a producer that can wait (a journal catch-up) waits on it instead of filling the queue.
   */
  room(): Promise<void> | undefined {
    if (this.closedFlag || this.hasRoom()) return undefined;
    return new Promise((resolve) => this.roomWaiters.push(resolve));
  }

  /** Sends `last` (when given) as the final frame and ends the response. */
  close(last?: SseFrame): void {
    if (this.closedFlag) return;
    if (last !== undefined) this.controller.enqueue(encode(last));
    this.controller.close();
    this.end();
  }

  private enqueue(bytes: Uint8Array): void {
    if (this.closedFlag) return;
    this.controller.enqueue(bytes);
    if ((this.controller.desiredSize ?? 0) < 0)
      this.close({
        event: 'error',
        data: {
          code: 'CLIENT_TOO_SLOW',
          message: `the client fell more than ${this.o.maxQueued} frames behind; reconnect with the Last-Event-ID header set to the id of the last event received`,
        },
      });
  }

  private hasRoom(): boolean {
    return (this.controller.desiredSize ?? 0) >= this.o.maxQueued / 2;
  }

  private wake(): void {
    if (this.roomWaiters.length === 0 || !(this.closedFlag || this.hasRoom())) return;
    const ws = this.roomWaiters;
    this.roomWaiters = [];
    for (const w of ws) w();
  }

  private end(): void {
    if (this.closedFlag) return;
    this.closedFlag = true;
    this.o.timers.clearInterval(this.heartbeat);
    this.wake();
    this.o.onClose();
  }
}

/** A journal subscription's three callbacks (EventStream.subscribe and the inspector's). */
export type Subscribe = (
  onEvent: (e: { readonly seq: number }) => Promise<void> | void,
  onError: (err: Error) => void,
  onGap: (gap: { readonly fromSeq: number; readonly toSeq: number }) => void,
) => () => void;

/**
 * Streams a journal subscription into `ch`: each record as an event whose id is its seq (holding
 * the subscription while the client's queue is full), a gap as `event: gap`, and the end as a
 * final `event: error` that tells the client to resume. Returns the unsubscribe.
 */
export function pipeJournal(ch: SseChannel, subscribe: Subscribe): () => void {
  return subscribe(
    (e) => {
      ch.send({ id: e.seq, data: e });
      return ch.room();
    },
    (err) =>
      ch.close({
        event: 'error',
        data: {
          code: (err as { code?: string }).code ?? 'STREAM_ENDED',
          message: `${publicText(err.message)}; reconnect with Last-Event-ID`,
        },
      }),
    (gap) =>
      ch.send({
        event: 'gap',
        data: {
          ...gap,
          message: `the journal no longer holds seqs ${gap.fromSeq}..${gap.toSeq}; the stream goes on after them`,
        },
      }),
  );
}
