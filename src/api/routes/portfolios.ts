/**
 * Portfolios, positions and accounts. A portfolio is one strategy's book on one broker; an
 * account is a broker's portfolios summed (cash, buying power, PnL, fees); positions are every
 * portfolio's open positions, filterable. All money is rupees as a decimal string plus paise.
 */
import { createRoute } from '@hono/zod-openapi';
import { BROKERS, formatRupees, type Position } from '../../model/index.js';
import type { PortfolioSource, PortfolioView } from '../../readmodel/index.js';
import { ApiError } from '../api-error.js';
import { errors, json, query, Money, z, type Router } from '../openapi.js';
import { OrderBody } from './order-schema.js';

const money = (p: number) => ({ rupees: formatRupees(p), paise: p });

const PositionBody = z
  .object({
    broker: z.string(),
    strategyId: z.string(),
    instrumentToken: z.number().int(),
    quantity: z.number().int(),
    averagePrice: Money,
    lastPrice: Money,
    realizedPnl: Money,
    unrealizedPnl: Money,
  })
  .openapi('Position');

export const PortfolioBody = z
  .object({
    broker: z.string(),
    strategyId: z.string(),
    cash: Money,
    buyingPower: Money,
    fees: Money,
    realizedPnl: Money,
    unrealizedPnl: Money,
    totalPnl: Money,
    dayPnl: Money,
    fills: z.number().int(),
    asOfSeq: z.number().int(),
    positions: z.array(PositionBody.omit({ broker: true, strategyId: true })),
    openOrders: z.array(OrderBody).readonly(),
  })
  .openapi('Portfolio');

const AccountBody = z
  .object({
    broker: z.string(),
    strategies: z.number().int(),
    cash: Money,
    buyingPower: Money,
    fees: Money,
    realizedPnl: Money,
    unrealizedPnl: Money,
    totalPnl: Money,
    dayPnl: Money,
    openPositions: z.number().int(),
    openOrders: z.number().int(),
    asOfSeq: z.number().int(),
  })
  .openapi('Account');

function positionJson(p: Position) {
  return {
    instrumentToken: p.token,
    quantity: p.quantity,
    averagePrice: money(p.averagePrice),
    lastPrice: money(p.lastPrice),
    realizedPnl: money(p.realizedPnl),
    unrealizedPnl: money(p.unrealizedPnl),
  };
}

export function portfolioJson(v: PortfolioView) {
  return {
    broker: v.broker,
    strategyId: v.strategyId,
    cash: money(v.cash),
    buyingPower: money(v.buyingPower),
    fees: money(v.fees),
    realizedPnl: money(v.realizedPnl),
    unrealizedPnl: money(v.unrealizedPnl),
    totalPnl: money(v.totalPnl),
    dayPnl: money(v.dayPnl),
    fills: v.fills,
    asOfSeq: v.asOfSeq,
    positions: v.positions.map(positionJson),
    openOrders: v.openOrders,
  };
}

function accountJson(broker: string, views: readonly PortfolioView[]) {
  const sum = (f: (v: PortfolioView) => number) => money(views.reduce((a, v) => a + f(v), 0));
  return {
    broker,
    strategies: views.length,
    cash: sum((v) => v.cash),
    buyingPower: sum((v) => v.buyingPower),
    fees: sum((v) => v.fees),
    realizedPnl: sum((v) => v.realizedPnl),
    unrealizedPnl: sum((v) => v.unrealizedPnl),
    totalPnl: sum((v) => v.totalPnl),
    dayPnl: sum((v) => v.dayPnl),
    openPositions: views.reduce(
      (a, v) => a + v.positions.filter((p) => p.quantity !== 0).length,
      0,
    ),
    openOrders: views.reduce((a, v) => a + v.openOrders.length, 0),
    asOfSeq: views.reduce((a, v) => Math.max(a, v.asOfSeq), 0),
  };
}

const brokerError = { error: `expected one of ${BROKERS.join(', ')}` };
const Broker = z
  .enum(BROKERS, brokerError)
  .openapi({ param: { name: 'broker', in: 'path' }, example: 'paper' });
const StrategyId = z
  .string()
  .min(1)
  .max(64)
  .openapi({ param: { name: 'strategyId', in: 'path' }, example: 'momentum_1' });
const FILTERS = {
  broker: z.enum(BROKERS, brokerError).optional(),
  strategyId: z.string().min(1).max(64).optional(),
};
const Filters = query(FILTERS);

const tags = ['Portfolios'];

export function portfolioRoutes(app: Router, portfolios: PortfolioSource): void {
  const filtered = async (q: { broker?: string | undefined; strategyId?: string | undefined }) =>
    (await portfolios.list()).filter(
      (v) =>
        (q.broker === undefined || v.broker === q.broker) &&
        (q.strategyId === undefined || v.strategyId === q.strategyId),
    );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/portfolios',
      tags,
      summary: "Every strategy's portfolio on every broker",
      request: { query: Filters },
      responses: {
        200: json(z.object({ portfolios: z.array(PortfolioBody) }), 'The portfolios'),
        ...errors(400, 401, 503),
      },
    }),
    async (c) =>
      c.json({ portfolios: (await filtered(c.req.valid('query'))).map(portfolioJson) }, 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/portfolios/{broker}/{strategyId}',
      tags,
      summary: "One strategy's portfolio on one broker",
      request: { params: z.object({ broker: Broker, strategyId: StrategyId }) },
      responses: {
        200: json(PortfolioBody, 'The portfolio'),
        ...errors(400, 401, 404, 503),
      },
    }),
    async (c) => {
      const { broker, strategyId } = c.req.valid('param');
      const v = await portfolios.get(broker, strategyId);
      if (!v)
        throw new ApiError(
          404,
          'PORTFOLIO_NOT_FOUND',
          `no portfolio for strategy ${JSON.stringify(strategyId)} on ${broker}; GET /api/v1/portfolios lists them`,
        );
      return c.json(portfolioJson(v), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/positions',
      tags,
      summary: 'Open positions of every portfolio',
      request: {
        query: query({
          ...FILTERS,
          instrumentToken: z.coerce
            .number({ error: 'expected an instrument token (a positive integer)' })
            .int({ error: 'expected an instrument token (a positive integer)' })
            .positive({ error: 'expected an instrument token (a positive integer)' })
            .optional(),
        }),
      },
      responses: {
        200: json(z.object({ positions: z.array(PositionBody) }), 'The open positions'),
        ...errors(400, 401, 503),
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const positions = (await filtered(q)).flatMap((v) =>
        v.positions
          .filter(
            (p) =>
              p.quantity !== 0 &&
              (q.instrumentToken === undefined || p.token === q.instrumentToken),
          )
          .map((p) => ({ broker: v.broker, strategyId: v.strategyId, ...positionJson(p) })),
      );
      return c.json({ positions }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/accounts',
      tags,
      summary: "Each broker's account: its portfolios summed",
      responses: {
        200: json(z.object({ accounts: z.array(AccountBody) }), 'One account per broker'),
        ...errors(401, 503),
      },
    }),
    async (c) => {
      const all = await portfolios.list();
      const brokers = [...new Set(all.map((v) => v.broker))];
      return c.json(
        {
          accounts: brokers.map((b) =>
            accountJson(
              b,
              all.filter((v) => v.broker === b),
            ),
          ),
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/accounts/{broker}',
      tags,
      summary: "One broker's account",
      request: { params: z.object({ broker: Broker }) },
      responses: {
        200: json(AccountBody, 'The account'),
        ...errors(400, 401, 404, 503),
      },
    }),
    async (c) => {
      const { broker } = c.req.valid('param');
      const views = (await portfolios.list()).filter((v) => v.broker === broker);
      if (views.length === 0)
        throw new ApiError(
          404,
          'ACCOUNT_NOT_FOUND',
          `no portfolios on ${broker} in this process; GET /api/v1/accounts lists the accounts`,
        );
      return c.json(accountJson(broker, views), 200);
    },
  );
}

/** The JSON body of one portfolio, as the portfolio routes return it. */
export type PortfolioResponse = ReturnType<typeof portfolioJson>;
/** An amount as the API returns it: rupees as a decimal string plus the paise integer. */
export type MoneyResponse = ReturnType<typeof money>;
