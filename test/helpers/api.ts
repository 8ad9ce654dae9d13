/** The HTTP API over an empty read model and a recording DLQ service, for the API's unit tests. */
import { pino, type Logger } from 'pino';
import { createApp, type ApiDeps } from '../../src/api/index.js';
import type { PendingDeadLetter } from '../../src/model/index.js';
import { PortfolioReadModel } from '../../src/readmodel/index.js';
import type { DlqService } from '../../src/system/index.js';

/** A pending dead letter of market.ticks.dlq whose error carries a stack with local paths. */
export function deadLetter(seq: number): PendingDeadLetter {
  return {
    seq,
    at: '2026-01-05T03:45:00.000Z',
    actorId: 'strategy:x',
    originalTopic: 'market.ticks',
    originalSeq: seq - 1,
    originalType: 'MarketTick',
    originalKey: '738561',
    error: {
      name: 'RangeError',
      message: 'Invalid array length',
      stack: `RangeError: Invalid array length
    at Momentum.onTick (/home/trader/alpha-panda/dist/strategies/momentum/momentum.js:41:19)
    at file:///home/trader/alpha-panda/dist/actors/strategy/strategy.js:88:7`,
    },
    original: { token: 738561 },
  };
}

export interface TestApi {
  readonly app: ReturnType<typeof createApp>;
  /** Every re-delivery the routes asked for. */
  readonly calls: { topic: string; limit: number }[];
}

/** The app with `pending` dead letters on market.ticks.dlq; `deps` overrides the rest. */
export function testApi(
  pending: PendingDeadLetter[] = [],
  deps: Partial<Omit<ApiDeps, 'log'>> & { log?: Logger } = {},
): TestApi {
  const calls: { topic: string; limit: number }[] = [];
  const dlq: DlqService = {
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
  const app = createApp({
    portfolios: new PortfolioReadModel(),
    readiness: [],
    dlq,
    log: pino({ level: 'silent' }),
    host: '127.0.0.1',
    maxBodyBytes: 1 << 20,
    ...deps,
  });
  return { app, calls };
}

/** The `error` of an API error response. */
export async function apiError(res: Response): Promise<{ code: string; message: string }> {
  return ((await res.json()) as { error: { code: string; message: string } }).error;
}
