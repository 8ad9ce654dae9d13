/**
 * Trading control and orders: each broker's trading state (and its strategies'), halt, reduce-only
 * and resume per broker or per strategy, the kill switch, and the orders with their fills. Every
 * command is a journaled input; the answer carries its seq.
 */
import type { Hono } from 'hono';
import { z } from 'zod';
import { BROKERS, type BrokerName, type TradingCommand } from '../model/index.js';
import type { OrderFilter } from '../readmodel/index.js';
import type { TradingService } from '../system/index.js';
import { ApiError } from './api-error.js';
import { readJsonBody } from './json-body.js';

const CommandBody = z.strictObject({
  reason: z.string().trim().min(1).max(500).optional(),
  strategyId: z.string().min(1).max(64).optional(),
});
const KillBody = z.strictObject({ reason: z.string().trim().min(1).max(500) });

const VERBS = {
  halt: 'HaltTrading',
  reduce: 'ReduceOnly',
  resume: 'ResumeTrading',
} as const;

const STATUSES = ['OPEN', 'IN_FLIGHT', 'PARTIALLY_FILLED', 'COMPLETE', 'REJECTED', 'CANCELLED'];

function brokerParam(svc: TradingService, raw: string): BrokerName {
  const known = svc.brokers().map((b) => b.broker);
  if (!known.includes(raw as BrokerName)) {
    const all = (BROKERS as readonly string[]).includes(raw);
    throw new ApiError(
      all ? 409 : 404,
      'UNKNOWN_BROKER',
      all
        ? `broker ${raw} is not active in this process; active: ${known.join(', ')}`
        : `no broker ${JSON.stringify(raw)}; the brokers are ${known.join(', ')}`,
    );
  }
  return raw as BrokerName;
}

export function tradingRoutes(app: Hono, svc: TradingService): void {
  app.get('/api/v1/brokers', (c) => c.json({ brokers: svc.brokers() }));

  for (const [verb, type] of Object.entries(VERBS)) {
    app.post(`/api/v1/brokers/:broker/${verb}`, async (c) => {
      const broker = brokerParam(svc, c.req.param('broker'));
      const body = await readJsonBody(c, CommandBody, {
        allowEmpty: true,
        example: '{"reason": "why", "strategyId": "optional: only this strategy"}',
      });
      if (body.strategyId !== undefined && !svc.strategyIds().includes(body.strategyId))
        throw new ApiError(
          404,
          'STRATEGY_NOT_FOUND',
          `no strategy ${JSON.stringify(body.strategyId)}; GET /api/v1/strategies lists them`,
        );
      const reason = body.reason ?? `${verb} by the operator (API)`;
      const cmd = {
        type,
        broker,
        reason,
        ...(body.strategyId !== undefined ? { strategyId: body.strategyId } : {}),
      } as TradingCommand;
      const seq = svc.command(cmd);
      return c.json({ seq, command: cmd, brokers: svc.brokers() });
    });
  }

  app.post('/api/v1/kill', async (c) => {
    const body = await readJsonBody(c, KillBody, {
      allowEmpty: false,
      example: '{"reason": "why every broker halts and every open order is canceled"}',
    });
    const seq = svc.kill(body.reason);
    return c.json({ seq, brokers: svc.brokers() });
  });

  app.get('/api/v1/orders', (c) => {
    const q = c.req.query();
    for (const k of Object.keys(q))
      if (!['broker', 'strategyId', 'status'].includes(k))
        throw new ApiError(
          400,
          'UNKNOWN_QUERY_PARAMETER',
          `unknown query parameter ${JSON.stringify(k)}; the filters are broker, strategyId and status`,
        );
    if (q.status !== undefined && !STATUSES.includes(q.status))
      throw new ApiError(
        400,
        'UNKNOWN_STATUS',
        `status ${JSON.stringify(q.status)} is not one of ${STATUSES.join(', ')}`,
      );
    if (q.broker !== undefined) brokerParam(svc, q.broker);
    const filter: OrderFilter = {
      ...(q.broker !== undefined ? { broker: q.broker } : {}),
      ...(q.strategyId !== undefined ? { strategyId: q.strategyId } : {}),
      ...(q.status !== undefined ? { status: q.status } : {}),
    };
    return c.json({ orders: svc.orders(filter) });
  });
}
