/** Ranks a sweep's runs: by net PnL (default), return or Sharpe, best first, ties by grid order. */
import type { BacktestResult } from '../backtest.js';
import type { SweepRun } from './sweep-pool.js';
import type { ParamSet } from './sweep-spec.js';

export const RANK_BY = ['pnl', 'return', 'sharpe'] as const;
export type RankBy = (typeof RANK_BY)[number];

/** Figures a report adds to a run when available (Sharpe, max drawdown, return). */
export interface RunFigures {
  readonly sharpe: number | null;
  readonly maxDrawdown: number | null;
  readonly return: number | null;
}

export interface RankedRun {
  readonly rank: number;
  readonly params: ParamSet;
  readonly fingerprint: string;
  readonly threadId: number;
  readonly ticks: number;
  readonly orders: number;
  readonly fills: number;
  /** Net PnL over every portfolio (realized net of charges plus unrealized), paise. */
  readonly pnl: number;
  readonly sharpe: number | null;
  readonly maxDrawdown: number | null;
  readonly return: number | null;
}

/** Net PnL of a run's portfolios, paise: realized (net of charges) plus unrealized. */
export function netPnl(r: BacktestResult): number {
  return r.portfolios.reduce((s, p) => s + p.realizedPnl + p.unrealizedPnl, 0);
}

/**
 * The runs ranked best first by `by`; `figures` supplies the report's figures per run (absent:
 * null; `return` then falls back to PnL over the starting cash). Nulls rank last.
 */
export function rankSweep(
  runs: readonly SweepRun[],
  by: RankBy,
  startingCash: number,
  figures: (run: SweepRun) => RunFigures | null = () => null,
): RankedRun[] {
  const rows = runs.map((run, i) => {
    const f = figures(run);
    const pnl = netPnl(run.result);
    return {
      i,
      row: {
        params: run.params,
        fingerprint: run.result.fingerprint,
        threadId: run.threadId,
        ticks: run.result.ticks,
        orders: run.result.orders,
        fills: run.result.fills,
        pnl,
        sharpe: f?.sharpe ?? null,
        maxDrawdown: f?.maxDrawdown ?? null,
        return: f?.return ?? (startingCash > 0 ? pnl / startingCash : null),
      },
    };
  });
  const key = (r: (typeof rows)[number]['row']): number => {
    const v = by === 'pnl' ? r.pnl : by === 'return' ? r.return : r.sharpe;
    return v ?? -Infinity;
  };
  rows.sort((a, b) => key(b.row) - key(a.row) || a.i - b.i);
  return rows.map((r, k) => ({ rank: k + 1, ...r.row }));
}
