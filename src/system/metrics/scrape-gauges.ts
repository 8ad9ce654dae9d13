/**
 * The gauges read when Prometheus scrapes: the journal's seqs and backlog, the last snapshot, the
 * trading state of every broker, faulted strategies, the feed, and cash and PnL per portfolio
 * from the read model. Nothing here runs between scrapes.
 */
import { Gauge, type Registry } from 'prom-client';
import type { PortfolioReadModel } from '../../readmodel/index.js';
import type { TradingSystem } from '../trading-system.js';
import { METRIC_PREFIX as P } from './catalogue.js';

/** The states of `alpha_panda_trading_state`: the gate's trading states, and FAULTED. */
export const TRADING_STATES = ['ACTIVE', 'REDUCING', 'HALTED', 'FAULTED'] as const;

/** The feed as a scrape sees it. */
export interface FeedState {
  readonly source: string;
  readonly connections: readonly { readonly connection: number; readonly open: boolean }[];
}

/** What the gauges read. */
export interface ScrapeSources {
  readonly system: TradingSystem;
  readonly portfolios: PortfolioReadModel;
  readonly wallMs: () => number;
  readonly monotonicMs: () => number;
  readonly lastSnapshot: () => { seq: number; atMs: number } | null;
  readonly feed: () => FeedState;
  /** When the last tick was journaled, monotonic ms; null before the first. */
  readonly lastTickAt: () => number | null;
  /** When metrics started, wall ms and monotonic ms (the ages before a first snapshot or tick). */
  readonly startedAt: { readonly wallMs: number; readonly monotonicMs: number };
}

/** Paise to rupees. */
const rupees = (paise: number) => paise / 100;

/** Registers the scrape-time gauges in `registry`. */
export function registerScrapeGauges(registry: Registry, s: ScrapeSources): void {
  const gauge = <L extends string>(
    name: string,
    help: string,
    labelNames: readonly L[],
    collect: (g: Gauge<L>) => void,
  ) =>
    new Gauge<L>({
      name: P + name,
      help,
      labelNames,
      registers: [registry],
      collect() {
        this.reset();
        collect(this);
      },
    });
  const bridge = s.system.bridge;
  gauge('journal_last_seq', 'Highest seq handed to the journal.', [], (g) => g.set(bridge.lastSeq));
  gauge('journal_durable_seq', 'Highest seq durable in the journal.', [], (g) =>
    g.set(bridge.durableSeq),
  );
  gauge('journal_backlog_records', 'Records handed to the journal, not yet durable.', [], (g) =>
    g.set(bridge.backlog),
  );
  gauge(
    'snapshot_age_seconds',
    'Seconds since the last snapshot this process saved (before its first: since it started).',
    [],
    (g) => g.set(Math.max(0, s.wallMs() - (s.lastSnapshot()?.atMs ?? s.startedAt.wallMs)) / 1000),
  );
  gauge('snapshot_seq', 'Seq of the last snapshot this process saved; 0 for none.', [], (g) =>
    g.set(s.lastSnapshot()?.seq ?? 0),
  );
  gauge(
    'trading_state',
    "1 for each broker's current trading state, 0 for the others.",
    ['broker', 'state'],
    (g) => {
      for (const [broker, now] of Object.entries(s.system.tradingStates()))
        for (const state of TRADING_STATES) g.labels(broker, state).set(now === state ? 1 : 0);
    },
  );
  gauge('strategy_faulted', '1 for a strategy stopped as FAULTED, else 0.', ['strategy'], (g) => {
    for (const st of s.system.strategies()) g.labels(st.id).set(st.status === 'FAULTED' ? 1 : 0);
  });
  gauge(
    'feed_connected',
    'Market feed connections: 1 open, 0 not.',
    ['source', 'connection'],
    (g) => {
      const f = s.feed();
      for (const c of f.connections) g.labels(f.source, String(c.connection)).set(c.open ? 1 : 0);
    },
  );
  gauge(
    'feed_staleness_seconds',
    'Monotonic seconds since the last tick was journaled (before the first: since start).',
    ['source'],
    (g) => {
      const f = s.feed();
      if (f.source === 'none') return;
      const last = s.lastTickAt() ?? s.startedAt.monotonicMs;
      g.labels(f.source).set(Math.max(0, s.monotonicMs() - last) / 1000);
    },
  );
  gauge('cash_rupees', 'Cash of each portfolio, rupees.', ['broker', 'strategy'], (g) => {
    for (const p of s.portfolios.list()) g.labels(p.broker, p.strategyId).set(rupees(p.cash));
  });
  gauge(
    'pnl_rupees',
    'PnL of each portfolio by kind (realized net of fees, unrealized at the last ticks, total, day), rupees.',
    ['broker', 'strategy', 'kind'],
    (g) => {
      for (const p of s.portfolios.list()) {
        g.labels(p.broker, p.strategyId, 'realized').set(rupees(p.realizedPnl));
        g.labels(p.broker, p.strategyId, 'unrealized').set(rupees(p.unrealizedPnl));
        g.labels(p.broker, p.strategyId, 'total').set(rupees(p.totalPnl));
        g.labels(p.broker, p.strategyId, 'day').set(rupees(p.dayPnl));
      }
    },
  );
}
