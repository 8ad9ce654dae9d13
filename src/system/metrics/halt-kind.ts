/**
 * What halted trading, for `alpha_panda_trading_halts_total{reason_kind}`: the input that caused
 * the TradingStateChanged (an operator's command, the kill switch, a SetTradingState and its
 * authority), or the gate's own loss limits, whose reasons begin with `loss limit`.
 */
import type { JournalRecord, SetTradingState, TradingStateChanged } from '../../model/index.js';
import type { HaltReasonKind } from './catalogue.js';

/** How the risk gate's loss limits begin their reasons (src/actors/risk-gate/loss-limits.ts). */
const LOSS_LIMIT_REASON = 'loss limit';

/** The halt kind of a trading-state input, or undefined for a record that is not one. */
export function controlKindOf(rec: JournalRecord): HaltReasonKind | undefined {
  switch (rec.type) {
    case 'KillSwitch':
      return 'kill_switch';
    case 'HaltTrading':
    case 'ReduceOnly':
    case 'ResumeTrading':
      return 'operator';
    case 'SetTradingState': {
      const authority = (rec.data as SetTradingState).authority ?? 'operator';
      return authority === 'journal' ? 'journal' : authority === 'broker' ? 'session' : 'operator';
    }
    default:
      return undefined;
  }
}

/** Whether a state change is a loss limit's breach (to REDUCING or HALTED). */
export function isLossLimitHit(change: TradingStateChanged): boolean {
  return change.to !== 'ACTIVE' && change.reason.startsWith(LOSS_LIMIT_REASON);
}

/**
 * The kind of a change to HALTED: a loss limit's by its reason, else the kind of the input that
 * caused it (`causeKind`, undefined when the cause was not a trading-state input).
 */
export function haltKindOf(
  change: TradingStateChanged,
  causeKind: HaltReasonKind | undefined,
): HaltReasonKind {
  if (change.reason.startsWith(LOSS_LIMIT_REASON)) return 'loss_limit';
  return causeKind ?? 'other';
}
