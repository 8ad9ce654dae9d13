/**
 * The DLQ routes (SPEC §8): each DLQ topic's pending dead letters, and their re-delivery to the
 * actors that failed on them. `dlq list` and `dlq replay` are clients of these. `{topic}` is the
 * DLQ topic or its parent (`paper.signals.raw` and `paper.signals.raw.dlq` are the same).
 */
import { createRoute } from '@hono/zod-openapi';
import { z as zod } from 'zod';
import type { PendingDeadLetter } from '../../model/index.js';
import type { DlqService, RedeliveryView } from '../../system/index.js';
import { ApiError } from '../api-error.js';
import { readJsonBody } from '../json-body.js';
import { errors, json, query, jsonBody, z, type Router } from '../openapi.js';
import { publicError, publicText } from '../public-text.js';

function dlqTopic(svc: DlqService, raw: string): string {
  const t = raw.endsWith('.dlq') ? raw : `${raw}.dlq`;
  if (!svc.topics.includes(t))
    throw new ApiError(
      404,
      'UNKNOWN_DLQ_TOPIC',
      `no DLQ topic ${JSON.stringify(t)}; the DLQ topics are ${svc.topics.join(', ')}`,
    );
  return t;
}

/** The replay body: both fields optional, nothing else (a misspelt `dryrun` must not replay). */
const ReplayBody = zod.strictObject({
  dryRun: zod.boolean({ error: 'expected true or false' }).optional(),
  limit: zod
    .number({ error: 'expected a positive integer' })
    .int({ error: 'expected a positive integer' })
    .min(1, { error: 'expected a positive integer' })
    .max(Number.MAX_SAFE_INTEGER, { error: 'expected a positive integer' })
    .optional(),
});

const DeadLetterBody = z
  .object({
    seq: z.number().int(),
    at: z.string(),
    actorId: z.string(),
    originalTopic: z.string(),
    originalSeq: z.number().int(),
    originalType: z.string(),
    originalKey: z.string(),
    error: z.object({ name: z.string(), message: z.string() }),
    original: z.unknown(),
  })
  .openapi('DeadLetter');

const RedeliveryBody = z
  .object({
    deadLetterSeq: z.number().int(),
    actorId: z.string(),
    outcome: z.enum(['delivered', 'failed', 'refused']),
    seq: z.number().int().optional(),
    error: z.string().optional(),
  })
  .openapi('Redelivery');

/** A dead letter as the API shows it: its error's name and message only (the journal has it all). */
function publicDeadLetter(d: PendingDeadLetter) {
  return { ...d, error: publicError(d.error) };
}

function publicRedelivery(r: RedeliveryView): RedeliveryView {
  return r.error === undefined ? r : { ...r, error: publicText(r.error) };
}

const Topic = z.object({
  topic: z
    .string()
    .min(1)
    .max(200)
    .openapi({ param: { name: 'topic', in: 'path' }, example: 'paper.signals.raw.dlq' }),
});

const tags = ['DLQ'];

export function dlqRoutes(app: Router, svc: DlqService): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/dlq',
      tags,
      summary: 'Every DLQ topic and how many dead letters it holds pending',
      responses: {
        200: json(
          z.object({ topics: z.array(z.object({ topic: z.string(), pending: z.number().int() })) }),
          'The DLQ topics',
        ),
        ...errors(401, 503),
      },
    }),
    async (c) => {
      const topics = await Promise.all(
        svc.topics.map(async (topic) => ({ topic, pending: (await svc.pending(topic)).length })),
      );
      return c.json({ topics }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/dlq/{topic}',
      tags,
      summary: "A DLQ topic's pending dead letters, oldest first",
      request: {
        params: Topic,
        query: query({
          limit: z.coerce
            .number({ error: 'expected a positive integer' })
            .int({ error: 'expected a positive integer' })
            .min(1, { error: 'expected a positive integer' })
            .max(Number.MAX_SAFE_INTEGER, { error: 'expected a positive integer' })
            .optional(),
        }),
      },
      responses: {
        200: json(
          z.object({
            topic: z.string(),
            pending: z.number().int(),
            deadLetters: z.array(DeadLetterBody),
          }),
          'The pending dead letters',
        ),
        ...errors(400, 401, 404, 503),
      },
    }),
    async (c) => {
      const topic = dlqTopic(svc, c.req.valid('param').topic);
      const limit = c.req.valid('query').limit ?? Number.MAX_SAFE_INTEGER;
      const all = await svc.pending(topic);
      return c.json(
        { topic, pending: all.length, deadLetters: all.slice(0, limit).map(publicDeadLetter) },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/dlq/{topic}/replay',
      tags,
      summary:
        'Re-delivers pending dead letters to the actors that failed on them (or, dry, lists them)',
      request: {
        params: Topic,
        body: jsonBody(ReplayBody, '{} re-delivers every pending dead letter', true),
      },
      responses: {
        200: json(
          z.union([
            z.object({
              topic: z.string(),
              dryRun: z.literal(true),
              pending: z.number().int(),
              wouldRedeliver: z.array(DeadLetterBody),
            }),
            z.object({
              topic: z.string(),
              dryRun: z.literal(false),
              redelivered: z.array(RedeliveryBody),
              remaining: z.number().int(),
            }),
          ]),
          'What was (or would be) re-delivered',
        ),
        ...errors(400, 401, 403, 404, 413, 415, 503),
      },
    }),
    async (c) => {
      const topic = dlqTopic(svc, c.req.valid('param').topic);
      // Re-delivering everything takes an explicit {}: an empty or absent body is refused.
      const body = await readJsonBody(c, ReplayBody, {
        allowEmpty: false,
        example: '{"dryRun": true, "limit": 10} (or {} for every pending dead letter)',
      });
      const limit = body.limit ?? Number.MAX_SAFE_INTEGER;
      if (body.dryRun === true) {
        const all = await svc.pending(topic);
        return c.json(
          {
            topic,
            dryRun: true as const,
            pending: all.length,
            wouldRedeliver: all.slice(0, limit).map(publicDeadLetter),
          },
          200,
        );
      }
      const results = await svc.redeliver(topic, limit);
      const remaining = (await svc.pending(topic)).length;
      return c.json(
        { topic, dryRun: false as const, redelivered: results.map(publicRedelivery), remaining },
        200,
      );
    },
  );
}
