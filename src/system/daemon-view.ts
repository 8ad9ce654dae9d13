/**
 * What the daemon hands the HTTP API (its view), the server it listens with, and the readiness
 * checks of `/ready`.
 */
import type { ApiUser } from '../config/index.js';
import type { PipelineReadModel, PortfolioSource, SignalReadModel } from '../readmodel/index.js';
import type { DlqService } from './dead-letters.js';
import type { EventStream } from './event-stream.js';
import type { InspectorService } from './inspector/index.js';
import type { JournalStatus } from './journal-status.js';
import type { Metrics } from './metrics/index.js';
import type { PortfolioChangeSource } from './portfolio-changes.js';
import type { StrategyControl } from './strategy-control.js';
import type { TradingService } from './trading-service.js';
import type { TradingSystem } from './trading-system.js';
import type { ZerodhaService } from './zerodha.js';

/** One readiness check of `/ready`: null when ready, else what is wrong. */
export interface ReadinessCheck {
  readonly name: string;
  check(): string | null | Promise<string | null>;
  /** What the check also reports, ready or not (free bytes, say). */
  detail?(): Record<string, unknown>;
}

/** What the HTTP API serves of a running daemon. */
export interface DaemonView {
  readonly portfolios: PortfolioSource;
  readonly readiness: readonly ReadinessCheck[];
  readonly strategies: StrategyControl;
  readonly dlq: DlqService;
  readonly trading: TradingService;
  readonly zerodha?: ZerodhaService;
  readonly metrics: Metrics;
  /** The journal's records as they come, resumable by seq (the SSE event stream). */
  readonly events: EventStream;
  /** Which portfolio changed at which seq (the SSE portfolio stream). */
  readonly portfolioChanges: PortfolioChangeSource;
  readonly signals: SignalReadModel;
  readonly pipeline: PipelineReadModel;
  readonly journal: () => JournalStatus;
  /** The wall clock, for ages. */
  readonly wallMs: () => number;
  /** The actor inspector (SPEC §9). */
  readonly inspector?: InspectorService;
  /** API users in Postgres' users table, with DATABASE_URL. */
  readonly users?: (username: string) => Promise<ApiUser | null>;
}

/** A started HTTP server. */
export interface Listener {
  readonly port: number;
  close(): Promise<void>;
}

/** The daemon's HTTP server: listening from the start, serving the view once it is ready. */
export interface DaemonListener extends Listener {
  serve(view: DaemonView): void;
}

/** Binds the port (before anything is journaled); the cli passes the api's server. */
export type Listen = () => Promise<DaemonListener>;

/** The checks of `/ready`: journal, disk, recovery, feed and brokers. */
export function readinessChecks(p: {
  readonly system: TradingSystem;
  readonly disk: { problem(): string | null; detail(): Record<string, unknown> };
  /** Why recovery refused to go live, or null. */
  readonly refused: string | null;
  readonly feedSource: string;
  readonly mockFeedRunning: () => boolean;
  readonly ticker: () => readonly { connection: number; state: string }[];
}): ReadinessCheck[] {
  const { system, disk, refused } = p;
  return [
    { name: 'journal', check: () => system.journalProblem() },
    { name: 'disk', check: () => disk.problem(), detail: () => disk.detail() },
    { name: 'recovery', check: () => refused },
    {
      name: 'feed',
      check: () => {
        if (p.feedSource === 'none') return null;
        if (p.feedSource === 'mock') return p.mockFeedRunning() ? null : 'mock feed is not running';
        const down = p.ticker().filter((c) => c.state !== 'open');
        return down.length === 0
          ? null
          : `kite ticker: ${down.map((c) => `connection ${c.connection} ${c.state}`).join(', ')}`;
      },
    },
    {
      name: 'brokers',
      check: () => {
        const bad = Object.entries(system.tradingStates()).filter(([, s]) => s !== 'ACTIVE');
        return bad.length === 0 ? null : bad.map(([b, s]) => `${b} is ${s}`).join(', ');
      },
    },
  ];
}
