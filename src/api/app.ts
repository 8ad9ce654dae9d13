/** The HTTP API (Hono): health, readiness and portfolio queries. */
import { Hono } from 'hono';
import { BROKERS, formatRupees, type Position } from '../model/index.js';
import type { PortfolioReadModel, PortfolioView } from '../readmodel/index.js';
import { ApiError } from './api-error.js';

export interface ReadinessCheck {
  readonly name: string;
  /** Returns null when ready, else what is wrong. */
  check(): string | null;
}

export interface ApiDeps {
  readonly portfolios: PortfolioReadModel;
  readonly readiness: readonly ReadinessCheck[];
}

const money = (p: number) => ({ rupees: formatRupees(p), paise: p });

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

function portfolioJson(v: PortfolioView) {
  return {
    broker: v.broker,
    strategyId: v.strategyId,
    cash: money(v.cash),
    fees: money(v.fees),
    realizedPnl: money(v.realizedPnl),
    unrealizedPnl: money(v.unrealizedPnl),
    totalPnl: money(v.totalPnl),
    fills: v.fills,
    asOfSeq: v.asOfSeq,
    positions: v.positions.map(positionJson),
  };
}

/** The JSON body of one portfolio, as the portfolio routes return it. */
export type PortfolioResponse = ReturnType<typeof portfolioJson>;
/** An amount as the API returns it: rupees as a decimal string plus the paise integer. */
export type MoneyResponse = ReturnType<typeof money>;

export function createApp(deps: ApiDeps): Hono {
  const app = new Hono();

  app.get('/health', (c) => c.json({ status: 'ok' }));

  app.get('/ready', (c) => {
    const checks = deps.readiness.map((r) => ({ name: r.name, problem: r.check() }));
    const ready = checks.every((x) => x.problem === null);
    return c.json(
      {
        ready,
        checks: checks.map((x) => ({
          name: x.name,
          ok: x.problem === null,
          ...(x.problem ? { problem: x.problem } : {}),
        })),
      },
      ready ? 200 : 503,
    );
  });

  app.get('/api/v1/portfolios', (c) =>
    c.json({ portfolios: deps.portfolios.list().map(portfolioJson) }),
  );

  app.get('/api/v1/portfolios/:broker/:strategyId', (c) => {
    const { broker, strategyId } = c.req.param();
    if (!(BROKERS as readonly string[]).includes(broker)) {
      throw new ApiError(
        400,
        'UNKNOWN_BROKER',
        `broker ${JSON.stringify(broker)} is not one of ${BROKERS.join(', ')}`,
      );
    }
    const v = deps.portfolios.get(broker, strategyId);
    if (!v)
      throw new ApiError(
        404,
        'PORTFOLIO_NOT_FOUND',
        `no portfolio for strategy ${JSON.stringify(strategyId)} on ${broker}; GET /api/v1/portfolios lists them`,
      );
    return c.json(portfolioJson(v));
  });

  app.notFound((c) =>
    c.json(
      { error: { code: 'NOT_FOUND', message: `no route for ${c.req.method} ${c.req.path}` } },
      404,
    ),
  );

  app.onError((err, c) => {
    if (err instanceof ApiError)
      return c.json({ error: { code: err.code, message: err.message } }, err.status);
    return c.json(
      { error: { code: 'INTERNAL', message: 'internal error; see the server log' } },
      500,
    );
  });

  return app;
}
