/** The daemon: the trading system on the live mock feed, with the HTTP API, until SIGTERM/SIGINT. */
import { serve } from '@hono/node-server';
import type { Logger } from 'pino';
import { MockFeed, MockMarket, type TradingSystem } from '../actors/index.js';
import { createApp } from '../api/index.js';
import type { Settings } from '../config/index.js';
import type { Instrument } from '../model/index.js';
import { PortfolioReadModel } from '../readmodel/index.js';
import type { Clock } from '../runtime/clock.js';
import type { Random } from '../runtime/ids.js';
import type { LogTransport } from '../runtime/transport.js';

export interface DaemonParts {
  readonly settings: Settings;
  readonly instruments: readonly Instrument[];
  readonly system: TradingSystem;
  readonly transport: LogTransport;
  readonly clock: Clock;
  readonly random: Random;
  readonly log: Logger;
}

/** Starts feed and API; resolves once a signal has stopped everything cleanly. */
export async function runDaemon(p: DaemonParts): Promise<void> {
  const { settings, system, log } = p;
  const readModel = new PortfolioReadModel();
  system.switchboard.tapTicks((ticks) => readModel.applyTicks(ticks));
  system.switchboard.tap((r) => readModel.apply(r));
  for (const snap of system.portfolios()) readModel.declare(snap);

  const market = new MockMarket(p.instruments, p.random.fork('market'), {
    scenario: settings.feed.scenario,
    annualVolatility: settings.feed.annual_volatility,
  });
  const feed = new MockFeed(
    market,
    p.clock,
    { ticksPerSecond: settings.feed.ticks_per_second, batchMs: settings.feed.batch_ms },
    (ticks) => system.ingestTicks(ticks),
  );

  const app = createApp({
    portfolios: readModel,
    readiness: [
      {
        name: 'journal',
        check: () =>
          system.bridge.backlog > settings.journal.max_backlog
            ? `journal backlog ${system.bridge.backlog} records`
            : null,
      },
      { name: 'feed', check: () => (feed.running ? null : 'mock feed is not running') },
      {
        name: 'brokers',
        check: () => {
          const bad = Object.entries(system.tradingStates()).filter(([, s]) => s !== 'ACTIVE');
          return bad.length === 0 ? null : bad.map(([b, s]) => `${b} is ${s}`).join(', ');
        },
      },
    ],
  });

  feed.start();
  const server = serve({ fetch: app.fetch, port: settings.port, hostname: settings.host });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', () => resolve());
    server.once('error', reject);
  });
  log.info(
    { port: settings.port, strategies: system.strategies(), journal: settings.data_dir },
    'alpha panda started',
  );

  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      log.info({ signal }, 'stopping: flushing the journal');
      feed.stop();
      server.close();
      void system.close(p.transport).then(
        () => {
          log.info(
            { lastSeq: system.bridge.durableSeq, ticks: feed.ticks },
            'journal flushed; stopped',
          );
          resolve();
        },
        (err: unknown) => {
          log.error({ err }, 'error while stopping');
          resolve();
        },
      );
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
}
