/**
 * The HTTP API (Hono): health, readiness, portfolio, strategy and DLQ routes, behind the
 * middleware that keeps it safe without authentication: request ids and the 5xx log, writes from
 * the API's own origin only, JSON bodies only and none over API__MAX_BODY_BYTES.
 */
import { Hono } from 'hono';
import type { Logger } from 'pino';
import { BROKERS, formatRupees, type Position } from '../model/index.js';
import type { PortfolioSource, PortfolioView } from '../readmodel/index.js';
import { AlphaPandaError } from '../runtime/index.js';
import { ApiError } from './api-error.js';
import type {
  DlqService,
  ReadinessCheck,
  StrategyStatus,
  TradingService,
  ZerodhaService,
} from '../system/index.js';
import { dlqRoutes } from './dlq-routes.js';
import { tradingRoutes } from './trading-routes.js';
import { zerodhaRoutes } from './zerodha-routes.js';
import { jsonWrites } from './json-body.js';
import { isLoopbackHost } from './loopback.js';
import { publicText } from './public-text.js';
import { requestIds, requestLog } from './request-log.js';
import { sameOriginWrites } from './same-origin.js';

export interface ApiDeps {
  /** The in-process read model, or Redis in an API-only process. */
  readonly portfolios: PortfolioSource;
  readonly readiness: readonly ReadinessCheck[];
  /** The strategies and their status (RUNNING, DISABLED, FAULTED); the daemon has them, the API-only process does not. */
  readonly strategies?: () => readonly StrategyStatus[];
  /** Dead letters and their re-delivery; the daemon has them, the API-only process does not. */
  readonly dlq?: DlqService;
  /** Trading states, operator commands, the kill switch and orders; the daemon has them. */
  readonly trading?: TradingService;
  /** Zerodha's login, session and postbacks; the daemon has them when Zerodha is configured. */
  readonly zerodha?: ZerodhaService;
  /** Where every 5xx is logged, with its request id. */
  readonly log: Logger;
  /** The HOST the API listens on: on a loopback one, writes must name a loopback host. */
  readonly host: string;
  /** Bodies larger than this get 413, bytes (API__MAX_BODY_BYTES). */
  readonly maxBodyBytes: number;
  /** Ids for requests that bring no X-Request-Id; by default UUIDv7s from the wall clock. */
  readonly newRequestId?: () => string;
}

/** Runs one check; a check that throws reports that as its problem instead of failing /ready. */
async function runCheck(r: ReadinessCheck): Promise<string | null> {
  try {
    return await r.check();
  } catch (err) {
    return `the ${r.name} check failed: ${err instanceof Error ? err.message : String(err)}`;
  }
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

/** The JSON body of one portfolio, as the portfolio routes return it. */
export type PortfolioResponse = ReturnType<typeof portfolioJson>;
/** An amount as the API returns it: rupees as a decimal string plus the paise integer. */
export type MoneyResponse = ReturnType<typeof money>;

export function createApp(deps: ApiDeps): Hono {
  const app = new Hono();
  app.use(requestLog(deps.log, deps.newRequestId ?? requestIds()));
  app.use(sameOriginWrites(isLoopbackHost(deps.host)));
  app.use(jsonWrites(deps.maxBodyBytes));

  app.get('/health', (c) => c.json({ status: 'ok' }));

  app.get('/ready', async (c) => {
    const problems = await Promise.all(deps.readiness.map(runCheck));
    const checks = deps.readiness.map((r, i) => ({
      name: r.name,
      ok: problems[i] === null,
      ...(problems[i] ? { problem: problems[i] } : {}),
      ...(r.detail ? r.detail() : {}),
    }));
    const ready = checks.every((x) => x.ok);
    return c.json({ ready, checks }, ready ? 200 : 503);
  });

  const strategies = deps.strategies;
  if (strategies) {
    // A faulted strategy's error is an exception's name and message: no local paths in answers.
    const shown = () =>
      strategies().map((s) => (s.error === undefined ? s : { ...s, error: publicText(s.error) }));
    app.get('/api/v1/strategies', (c) => c.json({ strategies: shown() }));
    app.get('/api/v1/strategies/:id', (c) => {
      const id = c.req.param('id');
      const s = shown().find((x) => x.id === id);
      if (!s)
        throw new ApiError(
          404,
          'STRATEGY_NOT_FOUND',
          `no strategy ${JSON.stringify(id)}; GET /api/v1/strategies lists them`,
        );
      return c.json(s);
    });
  }

  if (deps.dlq) dlqRoutes(app, deps.dlq);
  if (deps.trading) tradingRoutes(app, deps.trading);
  if (deps.zerodha) zerodhaRoutes(app, deps.zerodha);

  app.get('/api/v1/portfolios', async (c) =>
    c.json({ portfolios: (await deps.portfolios.list()).map(portfolioJson) }),
  );

  app.get('/api/v1/portfolios/:broker/:strategyId', async (c) => {
    const { broker, strategyId } = c.req.param();
    if (!(BROKERS as readonly string[]).includes(broker)) {
      throw new ApiError(
        400,
        'UNKNOWN_BROKER',
        `broker ${JSON.stringify(broker)} is not one of ${BROKERS.join(', ')}`,
      );
    }
    const v = await deps.portfolios.get(broker, strategyId);
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
    if (err instanceof ApiError) {
      return c.json({ error: { code: err.code, message: err.message } }, err.status);
    }
    // A retriable infrastructure error (Redis down, journal backlog) is the server's, and passes:
    // its message says what is wrong and never carries a secret (nor, here, a local path).
    if (err instanceof AlphaPandaError && err.retriable)
      return c.json({ error: { code: err.code, message: publicText(err.message) } }, 503);
    // Anything else may carry internals: the client gets a generic 500, the log (request-log.ts)
    // gets the error under the request id the client sees.
    return c.json(
      {
        error: {
          code: 'INTERNAL',
          message: "internal error; the server log has it under this response's X-Request-Id",
        },
      },
      500,
    );
  });

  return app;
}
