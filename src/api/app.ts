/**
 * The HTTP API (Hono, routes declared with zod in routes/, one per resource), behind its
 * middleware: request and correlation ids and the 5xx log, CORS (off unless configured), the
 * per-client rate limit, authentication (auth/guard.ts), writes from the API's own origin only,
 * and JSON bodies only, none over API__MAX_BODY_BYTES.
 */
import { cors } from 'hono/cors';
import type { Logger } from 'pino';
import type { PipelineReadModel, PortfolioSource, SignalReadModel } from '../readmodel/index.js';
import { AlphaPandaError, SystemClock } from '../runtime/index.js';
import type {
  DlqService,
  EventStream,
  InspectorService,
  JournalStatus,
  PortfolioChangeSource,
  ReadinessCheck,
  StrategyControl,
  TradingService,
  ZerodhaService,
} from '../system/index.js';
import { ApiError } from './api-error.js';
import { authGuard, rateLimit, type ApiAuth } from './auth/index.js';
import { jsonWrites } from './json-body.js';
import { inspectorPage } from './inspector/serve.js';
import { isLoopbackHost } from './loopback.js';
import { router, type Router } from './openapi.js';
import { publicText } from './public-text.js';
import { correlationIds, requestIds, requestLog } from './request-log.js';
import { authRoutes } from './routes/auth.js';
import { brokerRoutes } from './routes/brokers.js';
import { dlqRoutes } from './routes/dlq.js';
import { docsRoutes } from './routes/docs.js';
import { healthRoutes, type MetricsSource } from './routes/health.js';
import { inspectorRoutes } from './routes/inspector.js';
import { orderRoutes } from './routes/orders.js';
import { portfolioJson, portfolioRoutes } from './routes/portfolios.js';
import { pipelineRoutes } from './routes/pipeline.js';
import { signalRoutes } from './routes/signals.js';
import { streamRoutes, type StreamRoutes } from './routes/streams.js';
import { strategyRoutes } from './routes/strategies.js';
import { zerodhaRoutes } from './routes/zerodha.js';
import { sameOriginWrites } from './same-origin.js';

export interface ApiDeps {
  /** The in-process read model, or Redis in an API-only process. */
  readonly portfolios: PortfolioSource;
  readonly readiness: readonly ReadinessCheck[];
  /** The strategies, their status and live changes; the daemon has them, the API-only process does not. */
  readonly strategies?: StrategyControl;
  /** Dead letters and their re-delivery; the daemon has them, the API-only process does not. */
  readonly dlq?: DlqService;
  /** Trading states, operator commands, the kill switch and orders; the daemon has them. */
  readonly trading?: TradingService;
  /** Zerodha's login, session and postbacks; the daemon has them when Zerodha is configured. */
  readonly zerodha?: ZerodhaService;
  /** GET /metrics; the daemon has them. */
  readonly metrics?: MetricsSource;
  /** The SSE streams' sources; the daemon has them. */
  readonly events?: EventStream;
  readonly portfolioChanges?: PortfolioChangeSource;
  /** The actor inspector (SPEC §9); the daemon and `inspect` have it. */
  readonly inspector?: InspectorService;
  /** Signals, pipeline stages and the journal's status; the daemon has them. */
  readonly signals?: SignalReadModel;
  readonly pipeline?: PipelineReadModel;
  readonly journal?: () => JournalStatus;
  /** The wall clock, epoch ms, for ages (pipeline); the system clock by default. */
  readonly wallMs?: () => number;
  /** Told the open streams, so a stop can end them. */
  readonly onStreams?: (s: StreamRoutes) => void;
  /** Users, tokens and limits (auth/index.ts apiAuth). */
  readonly auth: ApiAuth;
  /** Where every 5xx is logged, with its request id. */
  readonly log: Logger;
  /** The HOST the API listens on: on a loopback one, writes must name a loopback host. */
  readonly host: string;
  /** Bodies larger than this get 413, bytes (API__MAX_BODY_BYTES). */
  readonly maxBodyBytes: number;
  /** Ids for requests that bring no X-Request-Id; by default UUIDv7s from the wall clock. */
  readonly newRequestId?: () => string;
  /** The version the OpenAPI document names. */
  readonly version?: string;
}

export function createApp(deps: ApiDeps): Router {
  const app = router();
  const { auth } = deps;
  app.use(requestLog(deps.log, deps.newRequestId ?? requestIds()));
  app.use(correlationIds());
  if (auth.corsOrigins.length > 0)
    app.use(
      cors({
        origin: [...auth.corsOrigins],
        allowHeaders: [
          'Authorization',
          'Content-Type',
          'X-Request-Id',
          'X-Correlation-Id',
          'Last-Event-ID',
        ],
        exposeHeaders: ['X-Request-Id', 'X-Correlation-Id', 'Retry-After'],
        maxAge: 600,
      }),
    );
  app.use(rateLimit(auth.requests, auth.requestsPerMinute));
  app.use(authGuard(auth));
  app.use(sameOriginWrites(isLoopbackHost(deps.host)));
  app.use(jsonWrites(deps.maxBodyBytes));

  healthRoutes(app, deps.readiness, deps.metrics);
  docsRoutes(app, deps.version ?? '0');
  inspectorPage(app);
  authRoutes(app, { ...auth, log: deps.log });
  portfolioRoutes(app, deps.portfolios);
  const closeInspector = deps.inspector
    ? inspectorRoutes(app, { inspector: deps.inspector })
    : () => {};
  if (deps.events && deps.portfolioChanges) {
    const streams = streamRoutes(app, {
      events: deps.events,
      portfolios: deps.portfolioChanges,
      renderPortfolio: portfolioJson,
    });
    deps.onStreams?.({
      closeAll: () => {
        streams.closeAll();
        closeInspector();
      },
    });
  } else if (deps.inspector) deps.onStreams?.({ closeAll: closeInspector });
  if (deps.signals) signalRoutes(app, deps.signals);
  if (deps.pipeline && deps.journal) {
    const clock = new SystemClock();
    pipelineRoutes(app, deps.pipeline, deps.journal, deps.wallMs ?? (() => clock.now()));
  }
  if (deps.strategies) strategyRoutes(app, deps.strategies);
  if (deps.trading) {
    brokerRoutes(app, deps.trading);
    orderRoutes(app, deps.trading);
  }
  if (deps.dlq) dlqRoutes(app, deps.dlq);
  if (deps.zerodha) zerodhaRoutes(app, deps.zerodha);

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
