/**
 * The supervision tree's specs: root → `supervisor:strategies` (one strategy actor per valid
 * configuration) and one `supervisor:broker:<name>` per broker (risk gate, trader, a portfolio
 * per strategy trading there). Configurations that fail their checks are returned, not built.
 */
import type { BrokerName, MarketHours } from '../model/index.js';
import type { OrderIdSource } from '../actors/index.js';
import { strategyId as toStrategyId } from '../model/index.js';
import {
  actorIds,
  supervisorMachine,
  type ChildSpec,
  type Clock,
  type SupervisorState,
} from '../runtime/index.js';
import { defaultBrokerSpec } from './run-spec.js';
import type { StrategyRegistry } from '../strategies/index.js';
import {
  DEFAULT_STARTING_CASH,
  portfolioMachine,
  riskGateMachine,
  createStrategyMachine,
  traderMachine,
} from '../actors/index.js';
import { checkStrategyConfig } from './strategy-config.js';
import { NO_FILES } from '../strategies/index.js';
import type { TradingSystemOptions } from './trading-system.js';

export const STRATEGIES = 'supervisor:strategies';
export const brokerSupervisor = (b: BrokerName) => `supervisor:broker:${b}`;

export interface SystemTree {
  readonly rootChildren: ChildSpec[];
  readonly strategyChildren: ChildSpec[];
  readonly portfolioSpecs: Map<BrokerName, ChildSpec[]>;
  /** Enabled strategies whose configuration failed its checks: id → what is wrong. */
  readonly rejected: Map<string, string>;
  /** The same for disabled strategies (reported, not faulted). */
  readonly disabledProblems: Map<string, string>;
}

/** A supervisor's `restore` input from the snapshot the system starts from, if any. */
function restoreOf(opts: TradingSystemOptions, id: string): { restore?: SupervisorState } {
  const st = opts.restore?.supervisors[id];
  return st === undefined ? {} : { restore: st };
}

export function buildTree(
  opts: TradingSystemOptions,
  registry: StrategyRegistry,
  orderIds: OrderIdSource,
  hours: MarketHours,
  inputClock: Clock,
): SystemTree {
  const brokerNames = opts.brokers.map((b) => b.name);
  const rejected = new Map<string, string>();
  const disabledProblems = new Map<string, string>();
  const strategyLogic = createStrategyMachine(
    (type) => {
      const d = registry.lookup(type);
      if (!d.ok) throw new Error(d.error);
      return d.value;
    },
    registry.files ?? NO_FILES,
    inputClock,
    new Map(
      opts.instruments.map((i) => [
        i.token,
        {
          token: i.token,
          symbol: i.symbol,
          exchange: i.exchange,
          tickSize: i.tickSize,
          lotSize: i.lotSize,
        },
      ]),
    ),
  );

  const strategyChildren: ChildSpec[] = [];
  const portfolioSpecs = new Map<BrokerName, ChildSpec[]>();
  // Disabled strategies run too (emitting nothing), so enabling one live is a journaled input,
  // not a change to the supervision tree.
  for (const cfg of opts.strategies) {
    const problem = checkStrategyConfig(cfg, registry, opts.instruments, brokerNames);
    if (problem !== null) {
      // A disabled strategy with a bad configuration is reported, not faulted.
      if (cfg.enabled) rejected.set(cfg.id, problem);
      else disabledProblems.set(cfg.id, problem);
      continue;
    }
    const def = registry.lookup(cfg.type);
    const params = def.ok ? def.value.params.parse(cfg.params) : cfg.params;
    const id = toStrategyId(cfg.id);
    strategyChildren.push({
      id: actorIds.strategy(id),
      logic: strategyLogic,
      input: {
        strategyId: id,
        type: cfg.type,
        params,
        instruments: cfg.instruments,
        brokers: cfg.brokers,
        enabled: cfg.enabled,
      },
    });
    for (const b of cfg.brokers) {
      const setup = opts.brokers.find((x) => x.name === b)!;
      const list = portfolioSpecs.get(b) ?? [];
      list.push({
        id: actorIds.portfolio(b, id),
        logic: portfolioMachine,
        input:
          setup.startingCash === undefined
            ? { broker: b, strategyId: id }
            : { broker: b, strategyId: id, startingCash: setup.startingCash },
      });
      portfolioSpecs.set(b, list);
    }
  }

  const rootChildren: ChildSpec[] = [
    {
      id: STRATEGIES,
      logic: supervisorMachine,
      input: {
        name: 'strategies',
        children: strategyChildren,
        clock: opts.clock,
        ...(opts.budget ? { budget: opts.budget } : {}),
        ...restoreOf(opts, STRATEGIES),
      },
    },
  ];
  for (const b of opts.brokers) {
    const children: ChildSpec[] = [
      {
        id: actorIds.riskGate(b.name),
        logic: riskGateMachine,
        input: {
          broker: b.name,
          limits: {
            ...(b.limits ?? defaultBrokerSpec().limits),
            startingCash: b.startingCash ?? DEFAULT_STARTING_CASH,
          },
          instruments: opts.instruments,
          hours,
          clock: inputClock,
        },
      },
      { id: actorIds.trader(b.name), logic: traderMachine, input: { broker: b.name, orderIds } },
      ...(portfolioSpecs.get(b.name) ?? []),
    ];
    rootChildren.push({
      id: brokerSupervisor(b.name),
      logic: supervisorMachine,
      input: {
        name: `broker:${b.name}`,
        children,
        clock: opts.clock,
        haltsBroker: b.name,
        ...(opts.budget ? { budget: opts.budget } : {}),
        ...restoreOf(opts, brokerSupervisor(b.name)),
      },
    });
  }
  return { rootChildren, strategyChildren, portfolioSpecs, rejected, disabledProblems };
}
