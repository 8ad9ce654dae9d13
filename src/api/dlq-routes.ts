/**
 * The DLQ routes (SPEC §8): a DLQ topic's pending dead letters, and their re-delivery to the
 * actors that failed on them. `dlq list` and `dlq replay` are clients of these.
 *
 *   GET  /api/v1/dlq/:topic                          pending dead letters, oldest first
 *   POST /api/v1/dlq/:topic/replay {dryRun?, limit?}  re-deliver (or, dry, list what would be)
 *
 * The replay body is a JSON object ({} re-delivers every pending dead letter); the app's
 * middleware has already refused cross-origin writes, other content types and large bodies.
 *
 * `:topic` is the DLQ topic or its parent (`paper.signals.raw` and `paper.signals.raw.dlq` are
 * the same).
 */
import type { Hono } from 'hono';
import { z } from 'zod';
import type { PendingDeadLetter } from '../model/index.js';
import type { DlqService, RedeliveryView } from '../system/index.js';
import { ApiError } from './api-error.js';
import { readJsonBody } from './json-body.js';
import { publicError, publicText } from './public-text.js';

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

function parseLimit(v: string | undefined): number {
  if (v === undefined) return Number.MAX_SAFE_INTEGER;
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 1)
    throw new ApiError(
      400,
      'INVALID_LIMIT',
      `limit must be a positive integer, received ${JSON.stringify(v)}`,
    );
  return n;
}

/** The replay body: both fields optional, nothing else (a misspelt `dryrun` must not replay). */
const ReplayBody = z.strictObject({
  dryRun: z.boolean({ error: 'expected true or false' }).optional(),
  limit: z
    .number({ error: 'expected a positive integer' })
    .int({ error: 'expected a positive integer' })
    .min(1, { error: 'expected a positive integer' })
    .max(Number.MAX_SAFE_INTEGER, { error: 'expected a positive integer' })
    .optional(),
});

/** A dead letter as the API shows it: its error's name and message only (the journal has it all). */
function publicDeadLetter(d: PendingDeadLetter): PendingDeadLetter {
  return { ...d, error: publicError(d.error) };
}

function publicRedelivery(r: RedeliveryView): RedeliveryView {
  return r.error === undefined ? r : { ...r, error: publicText(r.error) };
}

export function dlqRoutes(app: Hono, svc: DlqService): void {
  app.get('/api/v1/dlq/:topic', async (c) => {
    const topic = dlqTopic(svc, c.req.param('topic'));
    const limit = parseLimit(c.req.query('limit'));
    const all = await svc.pending(topic);
    return c.json({
      topic,
      pending: all.length,
      deadLetters: all.slice(0, limit).map(publicDeadLetter),
    });
  });

  app.post('/api/v1/dlq/:topic/replay', async (c) => {
    const topic = dlqTopic(svc, c.req.param('topic'));
    // Re-delivering everything takes an explicit {}: an empty or absent body is refused.
    const body = await readJsonBody(c, ReplayBody, {
      allowEmpty: false,
      example: '{"dryRun": true, "limit": 10} (or {} for every pending dead letter)',
    });
    const limit = body.limit ?? Number.MAX_SAFE_INTEGER;
    if (body.dryRun === true) {
      const all = await svc.pending(topic);
      return c.json({
        topic,
        dryRun: true,
        pending: all.length,
        wouldRedeliver: all.slice(0, limit).map(publicDeadLetter),
      });
    }
    const results = await svc.redeliver(topic, limit);
    const remaining = (await svc.pending(topic)).length;
    return c.json({
      topic,
      dryRun: false,
      redelivered: results.map(publicRedelivery),
      remaining,
    });
  });
}
