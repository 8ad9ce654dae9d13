/** The risk gate actor: its machine, input, events, limits and checks. */
import type { SnapshotFrom } from 'xstate';
import { riskGateMachine } from './risk-gate-machine.js';

export { riskGateMachine };
export type RiskGateSnapshot = SnapshotFrom<typeof riskGateMachine>;
export type {
  EquityRecord,
  MarketHours,
  OrderRate,
  RiskGateContext,
  RiskGateData,
  RiskGateEmitted,
  RiskGateEvent,
  RiskGateInput,
} from './gate-context.js';
export { riskLimits, type RiskLimits } from './risk-limits.js';
export { CHECKS, type Check, type GateView } from './checks/index.js';
export { resolveOrder, protectionPriceOf, slicesOf } from './resolve-order.js';
export type { Authority, ScopeState } from './trading-state.js';
