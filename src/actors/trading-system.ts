/**
 * The trading system: the supervision tree (root → strategies, and one subtree per broker with
 * its risk gate, trader and portfolios), wired to the switchboard and the bridge. Built from
 * injected parts only: clock, random source, transport, broker adapters.
 */
import { createActor, type AnyActorRef } from 'xstate';
import {
  strategyId as toStrategyId,
  topics,
  type BrokerName,
  type Instrument,
  type InstrumentToken,
  type OrderEvent,
  type PortfolioSnapshot,
  type SetTradingState,
  type RunStarted,
  type StrategyConfigured,
  type TradingState,
} from '../model/index.js';
import { Bridge, type BridgeOptions } from '../runtime/bridge.js';
import type { Clock } from '../runtime/clock.js';
import { IdGenerator, type Random } from '../runtime/ids.js';
import { actorIds } from '../runtime/routes.js';
import {
  childOf,
  supervisorMachine,
  supervisorState,
  type RestartBudget,
  type SupervisorState,
} from '../runtime/supervisor.js';

export type { SystemState } from './system-state.js';
import { Switchboard, type OrderSink, type Tap } from '../runtime/switchboard.js';
import type { JournalMeta, LogTransport } from '../runtime/transport.js';
import type { BrokerAdapter } from '../brokers/index.js';
import { StrategyRegistry } from '../strategies/index.js';
import { checkLiveChange, type StrategyConfig } from './strategy-config.js';
import type { SystemState } from './system-state.js';
import { brokerSupervisor, buildTree, STRATEGIES } from './system-tree.js';
import { portfolioSnapshotOf, type PortfolioContext } from './portfolio/index.js';
import type { RiskGateContext, RiskLimits } from './risk-gate/index.js';
import type { StrategyContext } from './strategy/index.js';

export interface BrokerSetup {
  readonly name: BrokerName;
  readonly adapter: BrokerAdapter;
  readonly limits?: Partial<RiskLimits>;
  /** Starting cash of each portfolio, paise. */
  readonly startingCash?: number;
}

export interface TradingSystemOptions {
  readonly clock: Clock;
  readonly random: Random;
  readonly transport: LogTransport;
  readonly instruments: readonly Instrument[];
  readonly strategies: readonly StrategyConfig[];
  readonly brokers: readonly BrokerSetup[];
  readonly registry?: StrategyRegistry;
  readonly budget?: RestartBudget;
  readonly bridge?: BridgeOptions;
  /** Called for journal write failures and backlog changes. */
  readonly onJournalProblem?: (message: string) => void;
  /**
   * What the run was built from, journaled as its first record (`RunStarted` on system.events)
   * so that replay can build the same actors again. Absent in tests that replay nothing.
   */
  readonly run?: RunStarted;
  /**
   * A snapshot's state to continue from (recovery): the actors start from its contexts, the
   * switchboard from its counts and fingerprint, simulated brokers from their books, and nothing
   * is journaled at start (the run's RunStarted is already in the journal).
   */
  readonly restore?: SystemState;
}

export interface StrategyStatus {
  readonly id: string;
  readonly type: string;
  readonly status: 'RUNNING' | 'FAULTED' | 'DISABLED';
  readonly error?: string;
  readonly signals: number;
}

export class TradingSystem {
  readonly switchboard: Switchboard;
  readonly bridge: Bridge;
  readonly meta: JournalMeta;
  private readonly root: AnyActorRef;
  private readonly rejectedConfigs: Map<string, string>;
  private readonly disabledProblems: Map<string, string>;
  private readonly configs: readonly StrategyConfig[];
  private readonly brokerNames: readonly BrokerName[];
  private readonly registry: StrategyRegistry;
  private readonly adapters: readonly BrokerSetup['adapter'][];
  private readonly restoring: boolean;
  private rootError: unknown = null;

  private constructor(opts: TradingSystemOptions, meta: JournalMeta) {
    this.meta = meta;
    this.adapters = opts.brokers.map((b) => b.adapter);
    this.restoring = opts.restore !== undefined;
    this.configs = opts.strategies;
    this.registry = opts.registry ?? new StrategyRegistry();
    this.brokerNames = opts.brokers.map((b) => b.name);
    let halted = false;
    this.bridge = new Bridge(opts.transport, meta.nonce, {
      ...opts.bridge,
      onBacklog: (exceeded) => {
        // Past the bound every gate halts; when it drains they resume (invariant 4).
        opts.onJournalProblem?.(exceeded ? exceeded.message : 'journal backlog drained');
        if (exceeded !== null && !halted) {
          halted = true;
          for (const b of this.brokerNames)
            this.setTradingState(b, 'HALTED', 'JournalBacklogExceeded', 'bridge', 'journal');
        } else if (exceeded === null && halted) {
          halted = false;
          for (const b of this.brokerNames)
            this.setTradingState(b, 'ACTIVE', 'journal backlog drained', 'bridge', 'journal');
        }
      },
      onWriteError: (err, attempt) =>
        opts.onJournalProblem?.(`journal write failed (attempt ${attempt}): ${String(err)}`),
    });
    this.switchboard = new Switchboard(this.bridge, opts.clock);
    const tree = buildTree(opts, this.registry, this.brokerNames);
    const { rootChildren, strategyChildren, portfolioSpecs } = tree;
    this.rejectedConfigs = tree.rejected;
    this.disabledProblems = tree.disabledProblems;
    this.root = createActor(supervisorMachine, {
      input: { name: 'root', children: rootChildren, clock: opts.clock },
    });
    // No actor error may end the process: the root reports, it does not throw.
    this.root.subscribe({ error: (err) => (this.rootError = err) });

    const sb = this.switchboard;
    const root = this.root;
    const sub = (supId: string) => () => childOf(root, supId);
    sb.register('supervisor:root', () => root);
    sb.register(STRATEGIES, sub(STRATEGIES));
    for (const spec of strategyChildren) {
      sb.register(spec.id, () => {
        const s = childOf(root, STRATEGIES);
        return s && childOf(s, spec.id);
      });
      const input = spec.input as { instruments: readonly InstrumentToken[] };
      sb.subscribeTicks(spec.id, input.instruments);
    }
    for (const b of opts.brokers) {
      const supId = brokerSupervisor(b.name);
      sb.register(supId, sub(supId));
      const inBroker = (id: string) => () => {
        const s = childOf(root, supId);
        return s && childOf(s, id);
      };
      sb.register(actorIds.riskGate(b.name), inBroker(actorIds.riskGate(b.name)));
      sb.register(actorIds.trader(b.name), inBroker(actorIds.trader(b.name)));
      sb.subscribeTicks(actorIds.riskGate(b.name), null);
      for (const p of portfolioSpecs.get(b.name) ?? []) {
        sb.register(p.id, inBroker(p.id));
        const cfg = opts.strategies.find((c) => actorIds.portfolio(b.name, c.id) === p.id)!;
        sb.subscribeTicks(p.id, cfg.instruments);
      }
      sb.connectBroker(b.name, b.adapter as OrderSink);
    }
    sb.onRemote(
      (broker, replies) => {
        for (const reply of replies) this.ingestBrokerReply(broker, reply);
      },
      (order, err) =>
        opts.onJournalProblem?.(
          `order ${order.clientOrderId} to ${order.broker} failed to send: ${String(err)}; it stays IN_FLIGHT`,
        ),
    );
  }

  /**
   * Opens the journal and starts the supervision tree. `tap` sees every record from the first
   * (the run's RunStarted and anything journaled at start), like `switchboard.tap` afterwards.
   */
  static async open(opts: TradingSystemOptions, tap?: Tap): Promise<TradingSystem> {
    const ids = new IdGenerator(opts.random.fork('journal'));
    const meta = await opts.transport.open({ nonce: ids.nonce(), createdMs: opts.clock.now() });
    const sys = new TradingSystem(opts, meta);
    if (tap) sys.switchboard.tap(tap);
    const r = opts.restore;
    if (r !== undefined) {
      sys.switchboard.run.restore(r.switchboard);
      for (const a of sys.adapters) {
        const st = r.brokers[a.broker];
        if (a.execution === 'simulated' && st !== undefined) a.restore(st);
      }
    } else if (opts.run) {
      sys.switchboard.ingest(opts.run, topics.systemEvents, null, 'run', 'runtime');
    }
    sys.start();
    return sys;
  }

  /**
   * The system's state, for a snapshot at `switchboard.lastSeq`. Call it between inputs (every
   * ingress call runs to quiescence, so nothing is half-delivered then).
   */
  snapshotState(): SystemState {
    const supervisors: Record<string, SupervisorState> = {};
    for (const id of [STRATEGIES, ...this.brokerNames.map(brokerSupervisor)]) {
      const ref = childOf(this.root, id);
      if (ref) supervisors[id] = supervisorState(ref);
    }
    const brokers: Record<string, unknown> = {};
    for (const a of this.adapters)
      if (a.execution === 'simulated') brokers[a.broker] = a.snapshot();
    return { supervisors, switchboard: this.switchboard.run.state(), brokers };
  }

  private start(): void {
    this.root.start();
    // Attach the switchboard to every supervisor so their events are journaled.
    const sb = this.switchboard;
    sb.drain();
    for (const id of ['supervisor:root', STRATEGIES, ...this.brokerNames.map(brokerSupervisor)])
      sb.attach(id);
    // A restored system's faults were journaled by the run it continues.
    if (this.restoring) return;
    for (const [id, error] of this.rejectedConfigs) {
      sb.emitFrom(STRATEGIES, {
        type: 'ActorFaulted',
        actorId: actorIds.strategy(id),
        restarts: 0,
        error,
      });
    }
  }

  /** Journals and delivers a batch of ticks (one delivery batch). */
  ingestTicks(ticks: Parameters<Switchboard['ingestTicks']>[0]): void {
    this.switchboard.ingestTicks(ticks);
  }

  /** An operator or runtime command that sets a broker's trading state; journaled on control.commands. */
  setTradingState(
    broker: BrokerName,
    state: TradingState,
    reason: string,
    source = 'operator',
    authority: 'operator' | 'journal' = 'operator',
  ): number {
    const cmd: SetTradingState =
      authority === 'journal'
        ? { type: 'SetTradingState', broker, state, reason, authority }
        : { type: 'SetTradingState', broker, state, reason };
    return this.switchboard.ingest(
      cmd,
      topics.controlCommands,
      actorIds.riskGate(broker),
      broker,
      source,
    );
  }

  /**
   * Applies a changed configuration to a strategy: enables, disables or re-parameterizes it
   * through a journaled input on `control.commands`; a FAULTED one is first revived from its last
   * good context. Returns the input's seq, or what cannot be changed live (type, instruments and
   * brokers shape the tree and the tick routes, so they take a restart, as does a strategy
   * rejected or absent at start).
   */
  configureStrategy(
    cfg: StrategyConfig,
    source = 'operator',
  ): { ok: true; seq: number } | { ok: false; error: string } {
    const problem = this.rejectedConfigs.get(cfg.id) ?? this.disabledProblems.get(cfg.id);
    const checked = checkLiveChange(
      this.configs.find((c) => c.id === cfg.id),
      cfg,
      this.registry,
      problem,
    );
    if (!checked.ok) return checked;
    const id = toStrategyId(cfg.id);
    const msg: StrategyConfigured = {
      type: 'StrategyConfigured',
      strategyId: id,
      enabled: cfg.enabled,
      params: checked.params,
    };
    const actorId = actorIds.strategy(id);
    const reason = `configuration changed by ${source}`;
    const sup = this.faults()[actorId] === undefined ? undefined : childOf(this.root, STRATEGIES);
    const revive = sup && (() => sup.send({ type: 'ReviveChild', id: actorId, reason }));
    const seq = this.switchboard.ingest(
      msg,
      topics.controlCommands,
      actorId,
      cfg.id,
      source,
      revive,
    );
    return { ok: true, seq };
  }

  private ingestBrokerReply(broker: BrokerName, reply: OrderEvent): void {
    this.switchboard.ingest(
      { type: 'BrokerReplied', reply } as { type: string },
      topics.brokerReplies(broker),
      actorIds.trader(broker),
      reply.clientOrderId,
      `broker:${broker}`,
    );
  }

  /** The running actor with this id (`strategy:<id>`, `risk-gate:<broker>`, ...), if any. */
  actor(id: string): AnyActorRef | undefined {
    const [kind, ...rest] = id.split(':');
    if (kind === 'strategy') {
      const s = childOf(this.root, STRATEGIES);
      return s && childOf(s, id);
    }
    const broker = (
      kind === 'portfolio' || kind === 'risk-gate' || kind === 'trader' ? rest[0] : undefined
    ) as BrokerName | undefined;
    if (broker === undefined) return undefined;
    const s = childOf(this.root, brokerSupervisor(broker));
    return s && childOf(s, id);
  }

  /** The live portfolio of every (broker, strategy), marked to the last tick. */
  portfolios(): PortfolioSnapshot[] {
    const out: PortfolioSnapshot[] = [];
    for (const b of this.brokerNames) {
      for (const c of this.configs) {
        if (!c.brokers.includes(b)) continue;
        const ref = this.actor(actorIds.portfolio(b, c.id));
        if (!ref) continue;
        out.push(portfolioSnapshotOf(ref.getSnapshot().context as PortfolioContext));
      }
    }
    return out;
  }

  /** Each configured strategy's status. */
  strategies(): StrategyStatus[] {
    const faults = this.faults();
    return this.configs.map((c) => {
      const id = actorIds.strategy(c.id);
      const error = this.rejectedConfigs.get(c.id) ?? faults[id];
      const ref = this.actor(id);
      const ctx = ref?.getSnapshot().context as StrategyContext | undefined;
      const base = { id: c.id, type: c.type, signals: ctx?.signals ?? 0 };
      const bad = this.disabledProblems.get(c.id);
      if (bad !== undefined) return { ...base, status: 'DISABLED' as const, error: bad };
      if (error !== undefined || !ctx)
        return { ...base, status: 'FAULTED' as const, error: error ?? 'not running' };
      return { ...base, status: ctx.enabled ? ('RUNNING' as const) : ('DISABLED' as const) };
    });
  }

  /** Faulted actors with their errors. */
  faults(): Record<string, string> {
    const out: Record<string, string> = {};
    const sups = [
      childOf(this.root, STRATEGIES),
      ...this.brokerNames.map((b) => childOf(this.root, brokerSupervisor(b))),
    ];
    for (const s of sups)
      Object.assign(
        out,
        (s?.getSnapshot().context as { faulted?: Record<string, string> } | undefined)?.faulted ??
          {},
      );
    return out;
  }

  /** Trading state of each broker's gate. */
  tradingStates(): Record<string, TradingState | 'FAULTED'> {
    const out: Record<string, TradingState | 'FAULTED'> = {};
    for (const b of this.brokerNames) {
      const ref = this.actor(actorIds.riskGate(b));
      out[b] = ref ? (ref.getSnapshot().context as RiskGateContext).tradingState : 'FAULTED';
    }
    return out;
  }

  /** Whether the root has seen an error no supervisor handled. */
  get unhandledError(): unknown {
    return this.rootError;
  }

  /** Flushes the journal, stops every actor and closes the transport. */
  async close(transport: LogTransport): Promise<void> {
    await this.bridge.flush();
    this.bridge.stop();
    this.root.stop();
    await transport.close();
  }
}
