import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { PendingDeadLetter as DeadLetterView } from '../model/index.js';
import type { DlqService } from '../system/index.js';
import { dlqRoutes } from './dlq-routes.js';
import { ApiError } from './api-error.js';

function dl(seq: number): DeadLetterView {
  return {
    seq,
    at: '2026-01-05T03:45:00.000Z',
    actorId: 'strategy:x',
    originalTopic: 'market.ticks',
    originalSeq: seq - 1,
    originalType: 'MarketTick',
    originalKey: '738561',
    error: { name: 'RangeError', message: 'boom' },
    original: { token: 738561 },
  };
}

function app(pending: DeadLetterView[]) {
  const calls: { topic: string; limit: number }[] = [];
  const svc: DlqService = {
    topics: ['market.ticks.dlq', 'paper.signals.raw.dlq'],
    pending: (t) => Promise.resolve(t === 'market.ticks.dlq' ? pending : []),
    redeliver: (topic, limit) => {
      calls.push({ topic, limit });
      const sent = pending.splice(0, limit);
      return Promise.resolve(
        sent.map((d) => ({
          deadLetterSeq: d.seq,
          actorId: d.actorId,
          outcome: 'delivered' as const,
          seq: 100 + d.seq,
        })),
      );
    },
  };
  const a = new Hono();
  dlqRoutes(a, svc);
  a.onError((err, c) =>
    err instanceof ApiError
      ? c.json({ error: { code: err.code, message: err.message } }, err.status)
      : c.text('x', 500),
  );
  return { a, calls };
}

describe('DLQ routes', () => {
  it('lists a topic by its name or its DLQ name, limited', async () => {
    const { a } = app([dl(5), dl(9)]);
    const all = await (await a.request('/api/v1/dlq/market.ticks')).json();
    expect(all).toMatchObject({ topic: 'market.ticks.dlq', pending: 2 });
    const one = await (await a.request('/api/v1/dlq/market.ticks.dlq?limit=1')).json();
    expect(one).toMatchObject({ pending: 2, deadLetters: [{ seq: 5 }] });
  });

  it('a dry run re-delivers nothing; a replay re-delivers the oldest up to the limit', async () => {
    const { a, calls } = app([dl(5), dl(9)]);
    const dry = await a.request('/api/v1/dlq/market.ticks/replay', {
      method: 'POST',
      body: JSON.stringify({ dryRun: true, limit: 1 }),
    });
    expect(await dry.json()).toMatchObject({
      dryRun: true,
      pending: 2,
      wouldRedeliver: [{ seq: 5 }],
    });
    expect(calls).toEqual([]);
    const run = await a.request('/api/v1/dlq/market.ticks/replay', {
      method: 'POST',
      body: JSON.stringify({ limit: 1 }),
    });
    expect(await run.json()).toMatchObject({
      redelivered: [{ deadLetterSeq: 5, outcome: 'delivered', seq: 105 }],
      remaining: 1,
    });
    expect(calls).toEqual([{ topic: 'market.ticks.dlq', limit: 1 }]);
  });

  it('names the DLQ topics for an unknown one and refuses bad limits and bodies', async () => {
    const { a } = app([]);
    const unknown = await a.request('/api/v1/dlq/paper.orders.typo');
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toMatch(
      /no DLQ topic \\"paper.orders.typo.dlq\\"; the DLQ topics are market.ticks.dlq, paper.signals.raw.dlq/,
    );
    expect((await a.request('/api/v1/dlq/market.ticks?limit=0')).status).toBe(400);
    const badBody = await a.request('/api/v1/dlq/market.ticks/replay', {
      method: 'POST',
      body: '{nope',
    });
    expect(badBody.status).toBe(400);
    const badDry = await a.request('/api/v1/dlq/market.ticks/replay', {
      method: 'POST',
      body: JSON.stringify({ dryRun: 'yes' }),
    });
    expect(await badDry.text()).toMatch(/dryRun must be true or false/);
  });
});
