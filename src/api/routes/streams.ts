/**
 * The SSE streams (SPEC §8): `/api/v1/stream/events`, every journal record but ticks, filtered,
 * and `/api/v1/stream/portfolios`, each portfolio as it changes. Both are resumable: an event's
 * id is a journal seq, and a client that reconnects with `Last-Event-ID` gets what came after it.
 */
import { createRoute } from '@hono/zod-openapi';
import { BROKERS } from '../../model/index.js';
import type { PortfolioView } from '../../readmodel/index.js';
import type { EventStream, PortfolioChange, PortfolioChangeSource } from '../../system/index.js';
import { errors, z, type Router } from '../openapi.js';
import { HOST_TIMERS, pipeJournal, SseChannel, type StreamTimers } from './sse-channel.js';
import {
  brokerOf,
  eventFilter,
  EVENT_PARAMS,
  PORTFOLIO_PARAMS,
  queryOf,
  resumeSeq,
  SCOPES,
} from './stream-params.js';

export type { StreamTimers } from './sse-channel.js';

export interface StreamDeps {
  readonly events: EventStream;
  readonly portfolios: PortfolioChangeSource;
  /** The JSON body of a portfolio, as the portfolio routes give it; the view itself by default. */
  readonly renderPortfolio?: (v: PortfolioView) => object;
  /** Between heartbeat comments, ms (15 s). */
  readonly heartbeatMs?: number;
  /** A portfolio is sent at most once per this many ms, with its latest state (250). */
  readonly coalesceMs?: number;
  /** Frames one client may leave unread before it is disconnected (10,000). */
  readonly maxQueued?: number;
  readonly timers?: StreamTimers;
}

const tags = ['Streams'];

/**
 * A stream route as the OpenAPI document shows it: its parameters are plain strings there, and
 * are checked by hand, for messages that name the valid values.
 */
export function streamRoute(
  path: string,
  summary: string,
  query: Record<string, string>,
  routeTags: string[] = tags,
) {
  return createRoute({
    method: 'get',
    path,
    tags: routeTags,
    summary,
    request: {
      query: z.object(
        Object.fromEntries(
          Object.entries(query).map(([k, d]) => [
            k,
            z.string().optional().openapi({ description: d }),
          ]),
        ),
      ),
      headers: z.object({
        'last-event-id': z.string().optional().openapi({
          description: 'The id (a journal seq) of the last event received: resume after it',
        }),
      }),
    },
    responses: {
      200: {
        description:
          'Server-sent events: `id:` is a journal seq, `data:` one JSON object; `event: gap` and a final `event: error` are notices; comments are heartbeats',
        content: { 'text/event-stream': { schema: z.string() } },
      },
      ...errors(400, 401, 409),
    },
  });
}

const LAST_EVENT_ID = 'Last-Event-ID for clients that cannot set headers; the header wins';

/** The open streams of streamRoutes. */
export interface StreamRoutes {
  /** Ends every open stream (a graceful stop: a server does not close while one is open). */
  closeAll(): void;
}

/** Adds GET /api/v1/stream/events and GET /api/v1/stream/portfolios to `app`. */
export function streamRoutes(app: Router, deps: StreamDeps): StreamRoutes {
  const timers = deps.timers ?? HOST_TIMERS;
  const open = new Set<SseChannel>();
  const channel = (onClose: () => void) => {
    const ch: SseChannel = new SseChannel({
      maxQueued: deps.maxQueued ?? 10_000,
      heartbeatMs: deps.heartbeatMs ?? 15_000,
      timers,
      onClose: () => {
        open.delete(ch);
        onClose();
      },
    });
    open.add(ch);
    return ch;
  };

  // Parameters are checked before the document's validation runs, for messages that name the
  // valid ones (and a repeated one).
  app.use('/api/v1/stream/events', async (c, next) => {
    queryOf(c.req.url, EVENT_PARAMS);
    await next();
  });
  app.use('/api/v1/stream/portfolios', async (c, next) => {
    queryOf(c.req.url, PORTFOLIO_PARAMS);
    await next();
  });

  app.openapi(
    streamRoute('/api/v1/stream/events', 'Every journal record but ticks, live, resumable', {
      type: 'Record types, comma-separated (SignalRejected,OrderFilled)',
      broker: `One of ${SCOPES.join(', ')}`,
      strategyId: 'Records of this strategy',
      correlationId: "Records of one chain: an event's correlationId",
      lastEventId: LAST_EVENT_ID,
    }),
    (c) => {
      const q = queryOf(c.req.url, EVENT_PARAMS);
      const filter = eventFilter(q);
      const after = resumeSeq(
        c.req.header('last-event-id'),
        q.get('lastEventId'),
        deps.events.latestSeq(),
      );
      let stop = () => {};
      const ch = channel(() => stop());
      stop = pipeJournal(ch, (onEvent, onError, onGap) =>
        deps.events.subscribe(after, filter, onEvent, onError, onGap),
      );
      return ch.response;
    },
  );

  app.openapi(
    streamRoute('/api/v1/stream/portfolios', 'Each portfolio as it changes, resumable', {
      broker: `One of ${BROKERS.join(', ')}`,
      strategyId: "This strategy's portfolios",
      lastEventId: LAST_EVENT_ID,
    }),
    (c) => {
      const q = queryOf(c.req.url, PORTFOLIO_PARAMS);
      const broker = brokerOf(q, BROKERS);
      const strategyId = q.get('strategyId');
      const after = resumeSeq(
        c.req.header('last-event-id'),
        q.get('lastEventId'),
        deps.events.latestSeq(),
      );
      const render = deps.renderPortfolio ?? ((v: PortfolioView) => v);
      const wanted = (p: PortfolioChange) =>
        (broker === undefined || p.view.broker === broker) &&
        (strategyId === undefined || p.view.strategyId === strategyId);
      const send = (ps: readonly PortfolioChange[]) => {
        for (const p of ps)
          if (wanted(p))
            ch.send({ id: p.changedSeq, data: { changedSeq: p.changedSeq, ...render(p.view) } });
      };
      // Changes within one window go out together at its end, each portfolio once, in seq order,
      // so ids only grow and the last state is always sent.
      const dirty = new Set<string>();
      let timer: unknown = null;
      const flush = () => {
        timer = null;
        const ps = [...dirty].flatMap((k) => deps.portfolios.get(k) ?? []);
        dirty.clear();
        send(ps.sort((a, b) => a.changedSeq - b.changedSeq));
      };
      const unsubscribe = deps.portfolios.subscribe((key) => {
        dirty.add(key);
        timer ??= timers.setTimeout(flush, deps.coalesceMs ?? 250);
      });
      const ch = channel(() => {
        unsubscribe();
        if (timer !== null) timers.clearTimeout(timer);
      });
      send(deps.portfolios.changedAfter(after));
      return ch.response;
    },
  );

  return {
    closeAll: () => {
      for (const ch of [...open])
        ch.close({
          event: 'error',
          data: {
            code: 'SERVER_STOPPING',
            message: 'the server is stopping; reconnect with Last-Event-ID once it is back',
          },
        });
    },
  };
}
