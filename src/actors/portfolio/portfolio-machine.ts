/**
 * The portfolio actor, one per (broker, strategy): positions, average price, realized and
 * unrealized PnL, fees and cash, in integer paise; marked to market by ticks; a
 * PortfolioSnapshot and a PnlSnapshot on every fill, a PnlSnapshot on every PnL interval timer,
 * and the day's PnL against the equity it had at the last IST midnight.
 */
import { enqueueActions, setup } from 'xstate';
import type {
  BrokerName,
  MarketTimerFired,
  OrderFilled,
  PnlSnapshot,
  PortfolioSnapshot,
  Position,
  StrategyId,
  TicksReceived,
} from '../../model/index.js';
import { cashDelta, paise } from '../../model/index.js';
import { applyFill, averagePrice, EMPTY_HOLDING, unrealized, type Holding } from './accounting.js';

export interface PortfolioInput {
  readonly broker: BrokerName;
  readonly strategyId: StrategyId;
  /** Starting cash, paise (default ₹10,00,000). */
  readonly startingCash?: number;
  readonly restore?: PortfolioContext;
}

export interface PortfolioContext {
  readonly broker: BrokerName;
  readonly strategyId: StrategyId;
  readonly cash: number;
  readonly fees: number;
  readonly holdings: Readonly<Record<number, Holding>>;
  readonly fills: number;
  /** Equity (cash + marked positions) at the start of the IST trading day, paise. */
  readonly dayStartEquity: number;
}

export type PortfolioEvent = OrderFilled | TicksReceived | MarketTimerFired;
type Emitted = PortfolioSnapshot | PnlSnapshot;

export const DEFAULT_STARTING_CASH = 100_000_000; // ₹10,00,000 in paise

/** Cash plus every position marked to its last price, paise. */
export function equityOf(c: Pick<PortfolioContext, 'cash' | 'holdings'>): number {
  let e = c.cash;
  for (const h of Object.values(c.holdings)) e += h.quantity * h.lastPrice;
  return e;
}

/** The PnlSnapshot of a context: realized net of fees, unrealized at the last prices, the day's. */
export function pnlSnapshotOf(c: PortfolioContext): PnlSnapshot {
  const snap = portfolioSnapshotOf(c);
  return {
    type: 'PnlSnapshot',
    broker: c.broker,
    strategyId: c.strategyId,
    realizedPnl: snap.realizedPnl,
    unrealizedPnl: snap.unrealizedPnl,
    totalPnl: paise(snap.realizedPnl + snap.unrealizedPnl),
    dayPnl: snap.dayPnl,
  };
}

/** Builds the PortfolioSnapshot of a context (realized net of fees). */
export function portfolioSnapshotOf(c: PortfolioContext): PortfolioSnapshot {
  const positions: Position[] = [];
  let gross = 0;
  let unreal = 0;
  for (const [token, h] of Object.entries(c.holdings)) {
    gross += h.realized;
    const u = unrealized(h);
    unreal += u;
    positions.push({
      token: Number(token),
      quantity: h.quantity,
      averagePrice: paise(averagePrice(h)),
      costBasis: paise(h.cost),
      lastPrice: paise(h.lastPrice),
      realizedPnl: paise(h.realized),
      unrealizedPnl: paise(u),
    });
  }
  positions.sort((a, b) => a.token - b.token);
  return {
    type: 'PortfolioSnapshot',
    broker: c.broker,
    strategyId: c.strategyId,
    cash: paise(c.cash),
    fees: paise(c.fees),
    realizedPnl: paise(gross - c.fees),
    unrealizedPnl: paise(unreal),
    positions,
    fills: c.fills,
    dayPnl: paise(equityOf(c) - c.dayStartEquity),
  };
}

export const portfolioMachine = setup({
  types: {
    input: {} as PortfolioInput,
    context: {} as PortfolioContext,
    events: {} as PortfolioEvent,
    emitted: {} as Emitted,
  },
}).createMachine({
  id: 'portfolio',
  context: ({ input }) =>
    input.restore ?? {
      broker: input.broker,
      strategyId: input.strategyId,
      cash: input.startingCash ?? DEFAULT_STARTING_CASH,
      fees: 0,
      holdings: {},
      fills: 0,
      dayStartEquity: input.startingCash ?? DEFAULT_STARTING_CASH,
    },
  initial: 'running',
  states: {
    running: {
      on: {
        OrderFilled: {
          actions: enqueueActions(({ context, event, enqueue }) => {
            const h = applyFill(context.holdings[event.token] ?? EMPTY_HOLDING, event);
            const next: PortfolioContext = {
              ...context,
              cash: context.cash + cashDelta(event),
              fees: context.fees + event.fees,
              holdings: { ...context.holdings, [event.token]: h },
              fills: context.fills + 1,
            };
            enqueue.assign(next);
            enqueue.emit(portfolioSnapshotOf(next));
            enqueue.emit(pnlSnapshotOf(next));
          }),
        },
        MarketTimerFired: {
          actions: enqueueActions(({ context, event, enqueue }) => {
            if (event.kind === 'IST_MIDNIGHT')
              enqueue.assign({ dayStartEquity: equityOf(context) });
            else if (event.kind === 'PNL_INTERVAL') enqueue.emit(pnlSnapshotOf(context));
          }),
        },
        TicksReceived: {
          actions: enqueueActions(({ context, event, enqueue }) => {
            // Only the last tick of each instrument in the batch matters: walk it backwards.
            let holdings: Record<number, Holding> | null = null;
            const seen = new Set<number>();
            for (let i = event.ticks.length - 1; i >= 0; i--) {
              const t = event.ticks[i]!;
              if (seen.has(t.token)) continue;
              seen.add(t.token);
              const h = context.holdings[t.token];
              if (h === undefined || h.quantity === 0 || h.lastPrice === t.lastPrice) continue;
              holdings ??= { ...context.holdings };
              holdings[t.token] = { ...h, lastPrice: t.lastPrice };
            }
            if (holdings !== null) enqueue.assign({ holdings });
          }),
        },
      },
    },
  },
});
