/**
 * The actor inspector's API (SPEC §9): the supervision tree, an actor with its context, every
 * actor (or one) at any journal seq, a message and its causation chain, and the event stream
 * filtered by actor. Usable without the page (src/api/inspector/, served by its serve.ts).
 */
import { createRoute } from '@hono/zod-openapi';
import type { InspectorService } from '../../system/index.js';
import { ApiError } from '../api-error.js';
import { errors, json, query, z, type Router } from '../openapi.js';
import * as S from './inspector-schemas.js';
import { HOST_TIMERS, pipeJournal, SseChannel, type StreamTimers } from './sse-channel.js';
import { eventFilter, queryOf, resumeSeq, EVENT_PARAMS } from './stream-params.js';
import { streamRoute } from './streams.js';

export interface InspectorDeps {
  readonly inspector: InspectorService;
  readonly heartbeatMs?: number;
  /** Frames one client may leave unread before it is disconnected (10,000). */
  readonly maxQueued?: number;
  readonly timers?: StreamTimers;
}

const tags = ['Inspector'];

const seqOf = (what: string) =>
  z.coerce
    .number({ error: `expected ${what}` })
    .int({ error: `expected ${what}` })
    .min(1, { error: `expected ${what}` })
    .max(Number.MAX_SAFE_INTEGER, { error: `expected ${what}` });
const SEQ = 'a journal seq (a whole number ≥ 1)';
const SeqQuery = query({ seq: seqOf(SEQ) });
const ActorParam = z.object({
  id: z.string().min(1).max(200).openapi({ example: 'risk-gate:paper' }),
});
const SeqParam = z.object({ seq: seqOf(SEQ).openapi({ type: 'integer', example: 42 }) });

function beyond(seq: number, last: number): ApiError {
  return new ApiError(
    404,
    'SEQ_NOT_IN_JOURNAL',
    `seq ${seq} is not in the journal, which holds seqs 1..${last} (durable); ask for one in that range`,
  );
}

function noActor(id: string): ApiError {
  return new ApiError(
    404,
    'ACTOR_NOT_FOUND',
    `no actor ${JSON.stringify(id)}; GET /api/v1/inspector/actors lists them (ids such as strategy:<id>, risk-gate:<broker>)`,
  );
}

const INSPECTOR_PARAMS = [...EVENT_PARAMS, 'actor'] as const;

/** Adds the inspector's routes to `app`; returns a function that ends every open event stream. */
export function inspectorRoutes(app: Router, deps: InspectorDeps): () => void {
  const ins = deps.inspector;
  const open = new Set<SseChannel>();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/inspector/actors',
      tags,
      summary: 'The supervision tree: every actor with its state, status, restarts and counts',
      responses: { 200: json(S.ActorList, 'Every actor'), ...errors(401) },
    }),
    async (c) =>
      c.json(
        { postMortem: ins.postMortem, lastSeq: ins.lastSeq(), actors: await ins.actors() },
        200,
      ),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/inspector/actors/{id}',
      tags,
      summary: 'One actor with its context, raw and readable (rupees, IST)',
      request: { params: ActorParam },
      responses: { 200: json(S.ActorDetail, 'The actor'), ...errors(400, 401, 404) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const a = await ins.actor(id);
      if (a === null) throw noActor(id);
      return c.json(a, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/inspector/actors/{id}/state',
      tags,
      summary: 'One actor as it was at a journal seq (a replay of the journal through that seq)',
      request: { params: ActorParam, query: SeqQuery },
      responses: { 200: json(S.ActorAt, 'The actor at the seq'), ...errors(400, 401, 404) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const { seq } = c.req.valid('query');
      const at = await ins.stateAt(seq);
      if (at === null) throw beyond(seq, ins.lastSeq());
      const actor = at.actors.find((a) => a.id === id);
      if (actor === undefined) throw noActor(id);
      return c.json({ seq: at.seq, record: at.record, actor }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/inspector/state',
      tags,
      summary: 'Every actor as it was at a journal seq, with the record at that seq',
      request: { query: SeqQuery },
      responses: { 200: json(S.StateAt, 'The actors at the seq'), ...errors(400, 401, 404) },
    }),
    async (c) => {
      const { seq } = c.req.valid('query');
      const at = await ins.stateAt(seq);
      if (at === null) throw beyond(seq, ins.lastSeq());
      return c.json(at, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/inspector/messages/{seq}',
      tags,
      summary: 'One journal record',
      request: { params: SeqParam },
      responses: { 200: json(S.MessageView, 'The record'), ...errors(400, 401, 404) },
    }),
    async (c) => {
      const { seq } = c.req.valid('param');
      const m = await ins.message(seq);
      if (m === null) throw beyond(seq, ins.lastSeq());
      return c.json(m, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/inspector/messages/{seq}/chain',
      tags,
      summary: 'The causation chain of a record: back to its input, forward to all it caused',
      request: { params: SeqParam },
      responses: { 200: json(S.Chain, 'The chain'), ...errors(400, 401, 404) },
    }),
    async (c) => {
      const { seq } = c.req.valid('param');
      const ch = await ins.chain(seq);
      if (ch === null) throw beyond(seq, ins.lastSeq());
      return c.json(ch, 200);
    },
  );

  app.use('/api/v1/inspector/events', async (c, next) => {
    queryOf(c.req.url, INSPECTOR_PARAMS);
    await next();
  });
  app.openapi(
    streamRoute(
      '/api/v1/inspector/events',
      'Every journal record but ticks, live, filtered, resumable by Last-Event-ID',
      {
        actor: 'Records this actor sent or was sent (risk-gate:paper)',
        type: 'Record types, comma-separated (SignalRejected,OrderFilled)',
        broker: 'The record scope: a broker, shared or system',
        strategyId: 'Records of this strategy',
        correlationId: "Records of one chain: an event's correlationId",
        lastEventId: 'Last-Event-ID for clients that cannot set headers',
      },
      tags,
    ),
    (c) => {
      const q = queryOf(c.req.url, INSPECTOR_PARAMS);
      const actor = q.get('actor');
      if (actor !== undefined && !/^[a-z-]+(:[A-Za-z0-9_:-]+)?$/.test(actor))
        throw new ApiError(
          400,
          'BAD_ACTOR',
          `actor ${JSON.stringify(actor)} is not an actor id; give one such as strategy:<id> or risk-gate:<broker>`,
        );
      const filter = { ...eventFilter(q), ...(actor === undefined ? {} : { actor }) };
      const after = resumeSeq(c.req.header('last-event-id'), q.get('lastEventId'), ins.latestSeq());
      let stop = () => {};
      const ch: SseChannel = new SseChannel({
        maxQueued: deps.maxQueued ?? 10_000,
        heartbeatMs: deps.heartbeatMs ?? 15_000,
        timers: deps.timers ?? HOST_TIMERS,
        onClose: () => {
          open.delete(ch);
          stop();
        },
      });
      open.add(ch);
      stop = pipeJournal(ch, (onEvent, onError, onGap) =>
        ins.subscribe(after, filter, onEvent, onError, onGap),
      );
      return ch.response;
    },
  );

  return () => {
    for (const ch of [...open])
      ch.close({
        event: 'error',
        data: {
          code: 'SERVER_STOPPING',
          message: 'the server is stopping; reconnect with Last-Event-ID once it is back',
        },
      });
  };
}
