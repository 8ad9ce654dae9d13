/** The risk gate's checks: pure functions from a signal and the gate's view to a CheckResult. */
import {
  signedQuantity,
  type CheckResult,
  type TradingSignal,
  type TradingState,
} from '../../model/index.js';

export interface RiskLimits {
  /** Largest absolute position per strategy and instrument, in shares. */
  readonly maxPositionPerInstrument: number;
  /** Largest distance of the signal price from the last tick, in basis points (1000 = 10%). */
  readonly priceBandBps: number;
  /** Largest order value, in paise. */
  readonly maxNotionalPerOrder: number;
  readonly minQuantity: number;
  readonly maxQuantity: number;
  /** Each strategy's starting cash on this broker, paise (the portfolio's). */
  readonly startingCash: number;
  /** Margin over a buy's value kept for slippage and charges, basis points. */
  readonly cashBufferBps: number;
}

export const DEFAULT_LIMITS: RiskLimits = {
  maxPositionPerInstrument: 1000,
  priceBandBps: 1000,
  maxNotionalPerOrder: 100_000_000, // ₹10,00,000
  minQuantity: 1,
  maxQuantity: 10_000,
  startingCash: 100_000_000, // ₹10,00,000
  cashBufferBps: 50,
};

export interface GateView {
  readonly state: TradingState;
  readonly lastPrice: number | undefined;
  /** Filled position plus validated, unfilled quantity, signed. */
  readonly exposure: number;
  /** The strategy's cash after its fills, less what its validated, unfilled buys may cost, paise. */
  readonly availableCash: number;
}

const pass = (check: string): CheckResult => ({ check, passed: true });

export function tradingStateCheck(s: TradingSignal, v: GateView): CheckResult {
  if (v.state === 'HALTED')
    return {
      check: 'trading_state',
      passed: false,
      code: 'TRADING_HALTED',
      detail: 'trading is HALTED for this broker',
    };
  if (v.state === 'REDUCING') {
    const after = v.exposure + signedQuantity(s.side, s.quantity);
    if (Math.abs(after) >= Math.abs(v.exposure) || Math.sign(after) === -Math.sign(v.exposure)) {
      return {
        check: 'trading_state',
        passed: false,
        code: 'REDUCE_ONLY',
        detail: `trading is REDUCING: only orders that shrink the position of ${v.exposure} are allowed`,
      };
    }
  }
  return pass('trading_state');
}

export function quantityCheck(s: TradingSignal, _v: GateView, l: RiskLimits): CheckResult {
  if (s.quantity < l.minQuantity)
    return {
      check: 'quantity',
      passed: false,
      code: 'QUANTITY_BELOW_MIN',
      detail: `quantity ${s.quantity} < minimum ${l.minQuantity}`,
    };
  if (s.quantity > l.maxQuantity)
    return {
      check: 'quantity',
      passed: false,
      code: 'QUANTITY_ABOVE_MAX',
      detail: `quantity ${s.quantity} > maximum ${l.maxQuantity}`,
    };
  return pass('quantity');
}

export function priceBandCheck(s: TradingSignal, v: GateView, l: RiskLimits): CheckResult {
  if (v.lastPrice === undefined || v.lastPrice <= 0) {
    return {
      check: 'price_band',
      passed: false,
      code: 'NO_REFERENCE_PRICE',
      detail: `no tick seen yet for instrument ${s.token}`,
    };
  }
  const devBps = (Math.abs(s.price - v.lastPrice) * 10_000) / v.lastPrice;
  if (devBps > l.priceBandBps) {
    return {
      check: 'price_band',
      passed: false,
      code: 'PRICE_OUTSIDE_BAND',
      detail: `price ${s.price} paise is ${devBps.toFixed(0)} bps from the last tick ${v.lastPrice}; band is ${l.priceBandBps} bps`,
    };
  }
  return pass('price_band');
}

export function notionalCheck(s: TradingSignal, v: GateView, l: RiskLimits): CheckResult {
  const value = s.quantity * Math.max(s.price, v.lastPrice ?? 0);
  if (value > l.maxNotionalPerOrder) {
    return {
      check: 'notional',
      passed: false,
      code: 'NOTIONAL_EXCEEDS_MAX_PER_ORDER',
      detail: `order value ${value} paise > maximum ${l.maxNotionalPerOrder} paise`,
    };
  }
  return pass('notional');
}

export function positionCheck(s: TradingSignal, v: GateView, l: RiskLimits): CheckResult {
  const after = v.exposure + signedQuantity(s.side, s.quantity);
  if (Math.abs(after) > l.maxPositionPerInstrument) {
    return {
      check: 'max_position',
      passed: false,
      code: 'POSITION_EXCEEDS_MAX_PER_INSTRUMENT',
      detail: `position would be ${after} (now ${v.exposure}); limit is ±${l.maxPositionPerInstrument}`,
    };
  }
  return pass('max_position');
}

/** A buy must be affordable: its value plus the buffer within the strategy's available cash. */
export function cashCheck(s: TradingSignal, v: GateView, l: RiskLimits): CheckResult {
  if (s.side !== 'BUY') return pass('cash');
  const cost = Math.ceil(
    (s.quantity * Math.max(s.price, v.lastPrice ?? 0) * (10_000 + l.cashBufferBps)) / 10_000,
  );
  if (cost > v.availableCash) {
    return {
      check: 'cash',
      passed: false,
      code: 'INSUFFICIENT_CASH',
      detail: `buy needs up to ${cost} paise (with a ${l.cashBufferBps} bps buffer); ${v.availableCash} paise available`,
    };
  }
  return pass('cash');
}

/** The checks in the order they run; every one runs, so each result is reported. */
export const CHECKS = [
  tradingStateCheck,
  quantityCheck,
  priceBandCheck,
  notionalCheck,
  positionCheck,
  cashCheck,
] as const;
