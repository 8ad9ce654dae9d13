/**
 * buildReport: the backtest report of a journal's last run, from its records alone (RunStarted,
 * ticks, signals, orders, fills, refusals). The same records give byte-identical JSON.
 */
import type { JournalRecord, RunStarted } from '../../model/index.js';
import { JournalError } from '../../runtime/index.js';
import {
  dailyReturns,
  downsample,
  drawdownSeries,
  exposure,
  lastOfEachIstDay,
  maxDrawdown,
  profitFactor,
  sharpe,
  sortino,
  winRate,
} from './metrics.js';
import type {
  BacktestReport,
  InstrumentReport,
  OpenPosition,
  PortfolioReport,
  PriceSeries,
} from './report-types.js';
import { RunState } from './run-state.js';
import { compareText } from './trades.js';

export interface ReportOptions {
  /** Points of the equity curve kept at most (downsampled evenly, first and last kept). Default 2000. */
  readonly maxPoints?: number;
}

export const DEFAULT_MAX_POINTS = 2000;

/** Reads records in seq order and reports the last run (the one after the last RunStarted). */
export async function buildReport(
  records: AsyncIterable<JournalRecord> | Iterable<JournalRecord>,
  options: ReportOptions = {},
): Promise<BacktestReport> {
  let runs = 0;
  let state: RunState | null = null;
  let seen = 0;
  for await (const r of records) {
    seen++;
    if (r.type === 'RunStarted') {
      runs++;
      state = new RunState(r.seq, r.data as RunStarted, r.ts);
    } else state?.add(r);
  }
  if (state === null)
    throw new JournalError(
      'JOURNAL_NO_RUN',
      `the journal's ${seen} records hold no RunStarted record, so there is no run to report; pass the data directory of a run (a backtest's --data-dir or the daemon's DATA_DIR)`,
    );
  state.finish();
  return assemble(state, runs, options.maxPoints ?? DEFAULT_MAX_POINTS);
}

function ratio(gain: number, base: number): number {
  return base === 0 ? 0 : gain / base;
}

function portfolioReports(s: RunState, open: readonly OpenPosition[]): PortfolioReport[] {
  const out: PortfolioReport[] = [];
  for (const p of s.portfolios.values()) {
    const mine = (x: { broker: string; strategyId: string }) =>
      x.broker === p.broker && x.strategyId === p.strategyId;
    const trades = s.trades.filter(mine);
    const positions = open.filter(mine);
    let marked = 0;
    let unrealized = 0;
    for (const o of positions) {
      marked += (o.side === 'LONG' ? 1 : -1) * o.quantity * o.lastPrice;
      unrealized += o.unrealizedPnl;
    }
    const endingEquity = p.cash + marked;
    out.push({
      broker: p.broker,
      strategyId: p.strategyId,
      startingCash: p.startingCash,
      endingEquity,
      return: ratio(endingEquity - p.startingCash, p.startingCash),
      realized: trades.reduce((a, t) => a + t.grossPnl, 0),
      unrealized,
      charges: p.charges,
      trades: trades.length,
      fills: p.fills,
    });
  }
  return out.sort(
    (a, b) => compareText(a.broker, b.broker) || compareText(a.strategyId, b.strategyId),
  );
}

function instrumentReports(s: RunState): InstrumentReport[] {
  const tokens = [...new Set([...s.feesByToken.keys(), ...s.trades.map((t) => t.token)])];
  return tokens
    .sort((a, b) => a - b)
    .map((token) => {
      const trades = s.trades.filter((t) => t.token === token);
      return {
        token,
        symbol: s.symbols.get(token) ?? String(token),
        trades: trades.length,
        netPnl: trades.reduce((a, t) => a + t.netPnl, 0),
        charges: s.feesByToken.get(token) ?? 0,
      };
    });
}

function priceSeries(s: RunState, maxPoints: number): PriceSeries[] {
  const tokens = [...new Set([...s.traded, ...s.markers.keys()])].sort((a, b) => a - b);
  const out: PriceSeries[] = [];
  for (const token of tokens) {
    const ticks = s.ticks.get(token);
    const markers = s.markers.get(token) ?? [];
    if (ticks === undefined && markers.length === 0) continue;
    const all = (ticks?.ts ?? []).map((ts, i) => ({ ts, price: ticks!.price[i]! }));
    out.push({
      token,
      symbol: s.symbols.get(token) ?? String(token),
      points: downsample(all, maxPoints),
      markers,
    });
  }
  return out;
}

function assemble(s: RunState, runs: number, maxPoints: number): BacktestReport {
  const open = s.book.openPositions((b, id, t) => s.markOf(b, id, t));
  const portfolios = portfolioReports(s, open);
  const endingEquity = portfolios.reduce((a, p) => a + p.endingEquity, 0);
  const closes = lastOfEachIstDay(s.samples);
  const returns = dailyReturns(
    s.startingEquity,
    closes.map((c) => c.equity),
  );
  const net = s.trades.map((t) => t.netPnl);
  const equity = downsample(s.samples, maxPoints);
  const rejections: Record<string, number> = {};
  for (const code of [...s.rejections.keys()].sort(compareText))
    rejections[code] = s.rejections.get(code)!;
  return {
    runsInJournal: runs,
    run: {
      fromSeq: s.fromSeq,
      toSeq: s.lastSeq,
      seed: s.run.seed,
      startTs: s.firstTickTs,
      endTs: s.lastTickTs,
      days: closes.length,
    },
    startingEquity: s.startingEquity,
    endingEquity,
    return: ratio(endingEquity - s.startingEquity, s.startingEquity),
    netPnl: endingEquity - s.startingEquity,
    trades: s.trades,
    openPositions: open,
    portfolios,
    perInstrument: instrumentReports(s),
    equity,
    // The running peak over every sample, then the same points the equity curve keeps.
    drawdown: downsample(drawdownSeries(s.samples), maxPoints),
    maxDrawdown: maxDrawdown(s.samples),
    sharpe: sharpe(returns),
    sortino: sortino(returns),
    winRate: winRate(net),
    profitFactor: profitFactor(net),
    exposure: s.firstTickTs === null ? 0 : exposure(s.openIntervals, s.firstTickTs, s.lastTickTs!),
    chargesPaid: portfolios.reduce((a, p) => a + p.charges, 0),
    rejections,
    signals: s.signals,
    orders: s.orders,
    fills: s.fills,
    cancels: s.cancels,
    prices: priceSeries(s, maxPoints),
  };
}
