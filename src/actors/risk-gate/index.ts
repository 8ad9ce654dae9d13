/** The risk gate actor and its checks. */
export {
  riskGateMachine,
  type RiskGateInput,
  type RiskGateContext,
  type RiskGateEvent,
} from './risk-gate-machine.js';
export { CHECKS, DEFAULT_LIMITS, type RiskLimits, type GateView } from './checks.js';
