/** What every check is: a pure function from a signal, the gate's view and the limits to a result. */
import type {
  CheckResult,
  DenialCode,
  Instrument,
  ResolvedOrder,
  TradingSignal,
  TradingState,
} from '../../../model/index.js';
import type { RiskLimits } from '../risk-limits.js';

/** What the gate knows when it judges one signal (built fresh per signal; nothing in it is kept). */
export interface GateView {
  /** The strictest of the broker's and the strategy's trading states. */
  readonly state: TradingState;
  /** Whose restriction `state` is and why, for the denial's detail. */
  readonly stateOf: string;
  /** The instrument's last tick price, paise; undefined before any tick. */
  readonly lastPrice: number | undefined;
  /** The strategy's filled position plus validated, unfilled quantity in the instrument, signed shares. */
  readonly exposure: number;
  /** The strategy's cash after its fills, less what its validated, unfilled buys may cost, paise. */
  readonly availableCash: number;
  /** The instrument as the run knows it; undefined when the run does not list it. */
  readonly instrument: Instrument | undefined;
  /** The time of the input being handled, epoch ms. */
  readonly now: number;
  /** Whether the market is open at `now`. */
  readonly marketOpen: boolean;
  /** Minutes after IST midnight at `now`. */
  readonly minuteOfDay: number;
  /** The IST trading day of `now`, YYYY-MM-DD. */
  readonly tradingDay: string;
  /** The order the signal resolves to (type, product, protection price, slices). */
  readonly order: ResolvedOrder;
  /** The strategy's open orders: placed and not final, plus validated slices not yet placed. */
  readonly openOrders: number;
  /** Signals of the strategy validated this trading day. */
  readonly tradesToday: number;
  /** Orders (slices) the gate validated for the account this calendar second, minute, trading day. */
  readonly ordersThisSecond: number;
  /** Epoch ms until which the broker throttles the account (its 429); 0: not throttled. */
  readonly throttledUntil: number;
  readonly ordersThisMinute: number;
  readonly ordersToday: number;
}

export type Check = (s: TradingSignal, v: GateView, l: RiskLimits) => CheckResult;

export const pass = (check: string, detail?: string): CheckResult =>
  detail === undefined ? { check, passed: true } : { check, passed: true, detail };

export const fail = (check: string, code: DenialCode, detail: string): CheckResult => ({
  check,
  passed: false,
  code,
  detail,
});

/**
 * Whether adding `q` (signed) to `exposure` only shrinks it: toward zero, never through it. An
 * order from flat never only shrinks.
 */
export function onlyShrinks(exposure: number, q: number): boolean {
  const after = exposure + q;
  return Math.abs(after) < Math.abs(exposure) && Math.sign(after) !== -Math.sign(exposure);
}
