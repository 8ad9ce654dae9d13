/**
 * Commands on trading states: an operator's HaltTrading / ReduceOnly / ResumeTrading (the broker,
 * or one strategy on it), the kill switch, and SetTradingState from an operator or the journal.
 */
import type {
  HaltTrading,
  KillSwitch,
  ReduceOnly,
  ResumeTrading,
  SetTradingState,
} from '../../model/index.js';
import type { RiskGateContext, RiskGateEmitted } from './gate-context.js';
import { rebaseLosses } from './loss-limits.js';
import { setScope } from './scope-change.js';

export type TradingCommandEvent =
  HaltTrading | ReduceOnly | ResumeTrading | KillSwitch | SetTradingState;

/**
 * Applies a command addressed to this gate's broker (others are ignored). ResumeTrading clears
 * the operator's and the loss limits' states of its scope and measures the loss limits from now
 * on; it never clears the journal's.
 */
export function applyTradingCommand(
  c: RiskGateContext,
  e: TradingCommandEvent,
  out: RiskGateEmitted[],
): RiskGateContext {
  if (e.type === 'KillSwitch')
    return setScope(c, undefined, { operator: 'HALTED' }, `kill switch: ${e.reason}`, out);
  if (e.broker !== c.broker) return c;
  switch (e.type) {
    case 'SetTradingState':
      return setScope(c, undefined, { [e.authority ?? 'operator']: e.state }, e.reason, out);
    case 'HaltTrading':
      return setScope(c, e.strategyId, { operator: 'HALTED' }, e.reason, out);
    case 'ReduceOnly':
      return setScope(c, e.strategyId, { operator: 'REDUCING' }, e.reason, out);
    case 'ResumeTrading': {
      const clear = { operator: 'ACTIVE', dailyLoss: 'ACTIVE', drawdown: 'ACTIVE' } as const;
      return setScope(rebaseLosses(c, e.strategyId), e.strategyId, clear, e.reason, out);
    }
  }
}
