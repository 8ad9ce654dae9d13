/**
 * Signals and their outcomes (SPEC §8): every signal a strategy made, its validation, and each
 * rejection with its code, newest first, filterable and paginated by seq (`beforeSeq`).
 */
import { createRoute } from '@hono/zod-openapi';
import { BROKERS } from '../../model/index.js';
import { SIGNAL_TYPES, type SignalFilter, type SignalReadModel } from '../../readmodel/index.js';
import { errors, json, query, Money, z, type Router } from '../openapi.js';

const SignalBody = z
  .object({
    seq: z.number().int(),
    at: z.string(),
    type: z.enum(SIGNAL_TYPES),
    broker: z.string(),
    strategyId: z.string(),
    instrumentToken: z.number().int(),
    side: z.enum(['BUY', 'SELL']),
    quantity: z.number().int(),
    price: Money,
    confidence: z.number(),
    reasoning: z.string(),
    code: z.string().optional(),
    detail: z.string().optional(),
    correlationSeq: z.number().int(),
  })
  .openapi('Signal');

const positiveInt = (what: string) =>
  z.coerce
    .number({ error: `expected ${what}` })
    .int({ error: `expected ${what}` })
    .min(1, { error: `expected ${what}` })
    .max(Number.MAX_SAFE_INTEGER, { error: `expected ${what}` });

const Query = query({
  broker: z.enum(BROKERS, { error: `expected one of ${BROKERS.join(', ')}` }).optional(),
  strategyId: z.string().min(1).max(64).optional(),
  instrumentToken: positiveInt('an instrument token (a positive integer)').optional(),
  type: z.enum(SIGNAL_TYPES, { error: `expected one of ${SIGNAL_TYPES.join(', ')}` }).optional(),
  code: z.string().min(1).max(64).optional(),
  beforeSeq: positiveInt('a seq (a positive integer)').optional(),
  limit: positiveInt('a number from 1 to 1000')
    .max(1000, { error: 'expected a number from 1 to 1000' })
    .optional(),
});

export function signalRoutes(app: Router, signals: SignalReadModel): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/signals',
      tags: ['Signals'],
      summary:
        'Signals, validations and rejections, newest first; the next page is ?beforeSeq=<nextBeforeSeq>',
      request: { query: Query },
      responses: {
        200: json(
          z.object({ signals: z.array(SignalBody), nextBeforeSeq: z.number().int().nullable() }),
          'One page',
        ),
        ...errors(400, 401),
      },
    }),
    (c) => {
      const q = c.req.valid('query');
      const f: SignalFilter = {
        limit: q.limit ?? 100,
        ...(q.broker !== undefined ? { broker: q.broker } : {}),
        ...(q.strategyId !== undefined ? { strategyId: q.strategyId } : {}),
        ...(q.instrumentToken !== undefined ? { instrumentToken: q.instrumentToken } : {}),
        ...(q.type !== undefined ? { type: q.type } : {}),
        ...(q.code !== undefined ? { code: q.code } : {}),
        ...(q.beforeSeq !== undefined ? { beforeSeq: q.beforeSeq } : {}),
      };
      return c.json(signals.list(f), 200);
    },
  );
}
