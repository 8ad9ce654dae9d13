/**
 * What the supervision tree holds now, read from its actors' snapshots: an actor by id, the
 * portfolios, each strategy's status, the faults and each gate's trading state.
 */
import type { AnyActorRef } from 'xstate';
import {
  portfolioSnapshotOf,
  type PortfolioContext,
  type RiskGateContext,
  type StrategyContext,
} from '../actors/index.js';
import {
  isBroker,
  type BrokerName,
  type PortfolioSnapshot,
  type StrategyConfig,
  type TradingState,
} from '../model/index.js';
import { actorIds, childOf, type SupervisorContext } from '../runtime/index.js';
import { brokerSupervisor, STRATEGIES } from './system-tree.js';

export interface StrategyStatus {
  readonly id: string;
  readonly type: string;
  readonly status: 'RUNNING' | 'FAULTED' | 'DISABLED';
  readonly error?: string;
  readonly signals: number;
}

/** The running actor with this id (`strategy:<id>`, `risk-gate:<broker>`, ...), if any. */
export function actorIn(root: AnyActorRef, id: string): AnyActorRef | undefined {
  const [kind, broker] = id.split(':');
  if (kind === 'strategy') {
    const s = childOf(root, STRATEGIES);
    return s && childOf(s, id);
  }
  if (!(kind === 'portfolio' || kind === 'risk-gate' || kind === 'trader')) return undefined;
  if (broker === undefined || !isBroker(broker)) return undefined;
  const s = childOf(root, brokerSupervisor(broker));
  return s && childOf(s, id);
}

/** The live portfolio of every (broker, strategy), marked to the last tick. */
export function portfoliosIn(
  root: AnyActorRef,
  brokers: readonly BrokerName[],
  configs: readonly StrategyConfig[],
): PortfolioSnapshot[] {
  const out: PortfolioSnapshot[] = [];
  for (const b of brokers) {
    for (const c of configs) {
      if (!c.brokers.includes(b)) continue;
      const ref = actorIn(root, actorIds.portfolio(b, c.id));
      if (!ref) continue;
      const ctx: PortfolioContext = ref.getSnapshot().context;
      out.push(portfolioSnapshotOf(ctx));
    }
  }
  return out;
}

/** Each configured strategy's status; `problems` are those its configuration had at start. */
export function strategyStatuses(
  root: AnyActorRef,
  brokers: readonly BrokerName[],
  configs: readonly StrategyConfig[],
  problems: {
    readonly rejected: ReadonlyMap<string, string>;
    readonly disabled: ReadonlyMap<string, string>;
  },
): StrategyStatus[] {
  const faults = faultsIn(root, brokers);
  return configs.map((c) => {
    const id = actorIds.strategy(c.id);
    const error = problems.rejected.get(c.id) ?? faults[id];
    const ctx: StrategyContext | undefined = actorIn(root, id)?.getSnapshot().context;
    const base = { id: c.id, type: c.type, signals: ctx?.signals ?? 0 };
    const bad = problems.disabled.get(c.id);
    if (bad !== undefined) return { ...base, status: 'DISABLED' as const, error: bad };
    if (error !== undefined || !ctx)
      return { ...base, status: 'FAULTED' as const, error: error ?? 'not running' };
    return { ...base, status: ctx.enabled ? ('RUNNING' as const) : ('DISABLED' as const) };
  });
}

/** Faulted actors with their errors. */
export function faultsIn(
  root: AnyActorRef,
  brokers: readonly BrokerName[],
): Record<string, string> {
  const out: Record<string, string> = {};
  const sups = [
    childOf(root, STRATEGIES),
    ...brokers.map((b) => childOf(root, brokerSupervisor(b))),
  ];
  for (const s of sups) {
    const ctx: SupervisorContext | undefined = s?.getSnapshot().context;
    Object.assign(out, ctx?.faulted ?? {});
  }
  return out;
}

/** Trading state of each broker's gate. */
export function tradingStatesIn(
  root: AnyActorRef,
  brokers: readonly BrokerName[],
): Record<string, TradingState | 'FAULTED'> {
  const out: Record<string, TradingState | 'FAULTED'> = {};
  for (const b of brokers) {
    const ctx: RiskGateContext | undefined = actorIn(root, actorIds.riskGate(b))?.getSnapshot()
      .context;
    out[b] = ctx ? ctx.brokerState.state : 'FAULTED';
  }
  return out;
}

/** A broker's trading state, why, and its strategies that are not ACTIVE on it. */
export interface BrokerTradingStatus {
  readonly broker: BrokerName;
  readonly state: TradingState | 'FAULTED';
  readonly reason: string;
  /** Each authority that restricts the broker (operator, journal, dailyLoss) and its state. */
  readonly by: Readonly<Record<string, TradingState>>;
  /** A remote broker's link: Zerodha's Kite session, static IP and ticker connections. */
  readonly link?: Readonly<Record<string, unknown>>;
  readonly strategies: Readonly<
    Record<
      string,
      { state: TradingState; reason: string; by: Readonly<Record<string, TradingState>> }
    >
  >;
}

export function brokerStatusesIn(
  root: AnyActorRef,
  brokers: readonly BrokerName[],
): BrokerTradingStatus[] {
  return brokers.map((b) => {
    const ctx: RiskGateContext | undefined = actorIn(root, actorIds.riskGate(b))?.getSnapshot()
      .context;
    if (!ctx)
      return {
        broker: b,
        state: 'FAULTED',
        reason: 'the risk gate is not running',
        by: {},
        strategies: {},
      };
    const strategies: Record<
      string,
      { state: TradingState; reason: string; by: Record<string, TradingState> }
    > = {};
    for (const [id, st] of Object.entries(ctx.strategyStates))
      if (st.state !== 'ACTIVE')
        strategies[id] = { state: st.state, reason: st.reason, by: { ...st.by } };
    const st = ctx.brokerState;
    return { broker: b, state: st.state, reason: st.reason, by: { ...st.by }, strategies };
  });
}
