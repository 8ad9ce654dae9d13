/**
 * The DLQ routes (SPEC §8): a DLQ topic's pending dead letters, and their re-delivery to the
 * actors that failed on them. `dlq list` and `dlq replay` are clients of these.
 *
 *   GET  /api/v1/dlq/:topic                          pending dead letters, oldest first
 *   POST /api/v1/dlq/:topic/replay {dryRun?, limit?}  re-deliver (or, dry, list what would be)
 *
 * `:topic` is the DLQ topic or its parent (`paper.signals.raw` and `paper.signals.raw.dlq` are
 * the same).
 */
import type { Hono } from 'hono';
import type { DlqService } from '../system/index.js';
import { ApiError } from './api-error.js';

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

function parseLimit(v: unknown): number {
  if (v === undefined) return Number.MAX_SAFE_INTEGER;
  const n = typeof v === 'string' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 1)
    throw new ApiError(
      400,
      'INVALID_LIMIT',
      `limit must be a positive integer, received ${JSON.stringify(v)}`,
    );
  return n;
}

export function dlqRoutes(app: Hono, svc: DlqService): void {
  app.get('/api/v1/dlq/:topic', async (c) => {
    const topic = dlqTopic(svc, c.req.param('topic'));
    const limit = parseLimit(c.req.query('limit'));
    const all = await svc.pending(topic);
    return c.json({ topic, pending: all.length, deadLetters: all.slice(0, limit) });
  });

  app.post('/api/v1/dlq/:topic/replay', async (c) => {
    const topic = dlqTopic(svc, c.req.param('topic'));
    let body: { dryRun?: unknown; limit?: unknown } = {};
    const text = await c.req.text();
    if (text.trim() !== '') {
      try {
        body = JSON.parse(text) as typeof body;
      } catch {
        throw new ApiError(
          400,
          'INVALID_BODY',
          'the body must be JSON: {"dryRun"?: boolean, "limit"?: number}',
        );
      }
    }
    if (body.dryRun !== undefined && typeof body.dryRun !== 'boolean')
      throw new ApiError(
        400,
        'INVALID_BODY',
        `dryRun must be true or false, received ${JSON.stringify(body.dryRun)}`,
      );
    const limit = parseLimit(body.limit);
    if (body.dryRun === true) {
      const all = await svc.pending(topic);
      return c.json({
        topic,
        dryRun: true,
        pending: all.length,
        wouldRedeliver: all.slice(0, limit),
      });
    }
    const results = await svc.redeliver(topic, limit);
    const remaining = (await svc.pending(topic)).length;
    return c.json({ topic, dryRun: false, redelivered: results, remaining });
  });
}
