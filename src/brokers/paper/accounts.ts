/** Per-strategy accounts at the paper broker: CNC holdings and MIS positions from its own fills. */
import type { InstrumentToken, Product, Side, StrategyId } from '../../model/index.js';
import { accountKey, remainingOf, type Account, type EngineState } from './engine-state.js';

/** Adds a fill of `qty` shares to the account of (strategyId, token) in `product`. */
export function applyFill(
  state: EngineState,
  f: {
    readonly strategyId: StrategyId;
    readonly token: InstrumentToken;
    readonly side: Side;
    readonly product: Product;
  },
  qty: number,
): void {
  const key = accountKey(f.strategyId, f.token);
  let a = state.accounts.get(key);
  if (a === undefined) {
    a = { strategyId: f.strategyId, token: f.token, cnc: 0, mis: 0 };
    state.accounts.set(key, a);
  }
  const signed = f.side === 'BUY' ? qty : -qty;
  if (f.product === 'CNC') a.cnc += signed;
  else a.mis += signed;
  if (a.cnc === 0 && a.mis === 0) state.accounts.delete(key);
}

export function accountOf(
  state: EngineState,
  strategyId: StrategyId,
  token: InstrumentToken,
): Account | undefined {
  return state.accounts.get(accountKey(strategyId, token));
}

/**
 * Shares of (strategyId, token) that open CNC SELL orders may still sell, leaving out
 * `except` (an order being modified). A bracket's two exits sell the same shares (one cancels
 * the other), so a take-profit whose stop-loss sibling is open is not counted twice.
 */
export function openCncSells(
  state: EngineState,
  strategyId: StrategyId,
  token: InstrumentToken,
  except?: string,
): number {
  let total = 0;
  for (const o of state.byToken.get(token) ?? []) {
    if (o.strategyId !== strategyId || o.product !== 'CNC' || o.side !== 'SELL') continue;
    if (o.clientOrderId === except) continue;
    if (o.exitOf !== null && o.clientOrderId.endsWith('T')) {
      const sibling = state.orders.get(`${o.exitOf}S` as typeof o.clientOrderId);
      if (sibling !== undefined) continue;
    }
    total += remainingOf(o);
  }
  return total;
}

/** Shares of (strategyId, token) free to sell in CNC: holdings less what open sells may sell. */
export function freeCncHoldings(
  state: EngineState,
  strategyId: StrategyId,
  token: InstrumentToken,
  except?: string,
): number {
  const held = accountOf(state, strategyId, token)?.cnc ?? 0;
  return held - openCncSells(state, strategyId, token, except);
}
