/**
 * The trading system: the supervision tree (root → strategies, and one subtree per broker with
 * its risk gate, trader and portfolios), wired to the switchboard and the bridge. Built from
 * injected parts only: clock, random source, transport, broker adapters.
 */
import { createActor, type AnyActorRef } from 'xstate';
import {
  clientOrderIdOf,
  strategyId as toStrategyId,
  topics,
  type BrokerName,
  type JournalRepaired,
  type OrderIdScope,
  type PortfolioSnapshot,
  type SetTradingState,
  type RunStarted,
  type StrategyConfigured,
  type StrategyConfig,
  type TradingState,
  alwaysOpen,
} from '../model/index.js';
import {
  JournalError,
  Bridge,
  IdGenerator,
  actorIds,
  childOf,
  supervisorMachine,
  supervisorState,
  type SupervisorState,
  Switchboard,
  type Tap,
} from '../runtime/index.js';
import type { JournalMeta, LogTransport } from '../runtime/index.js';

export type { SystemState } from './system-state.js';
import { StrategyRegistry } from '../strategies/index.js';
import { JournalHealth } from './journal-health.js';
import { wireTree } from './tree-wiring.js';
import { TradingCommands } from './trading-commands.js';
import { RemoteInputs } from './remote-inputs.js';
import { MarketTimers } from './market-timers.js';
import {
  actorIn,
  faultsIn,
  portfoliosIn,
  strategyStatuses,
  tradingStatesIn,
  brokerStatusesIn,
  type BrokerTradingStatus,
  type StrategyStatus,
} from './tree-queries.js';
import { checkLiveChange } from './strategy-config.js';
import type { BrokerSetup, TradingSystemOptions } from './trading-system-options.js';
import type { SystemState } from './system-state.js';
import { brokerSupervisor, buildTree, STRATEGIES } from './system-tree.js';
import type { OrderIdSource } from '../actors/index.js';

export type { BrokerSetup, TradingSystemOptions } from './trading-system-options.js';
export type { StrategyStatus } from './tree-queries.js';

/** The scope of the run's client order ids: as its RunStarted recorded it, else its journal's. */
function orderIdsOf(opts: TradingSystemOptions, meta: JournalMeta): OrderIdScope {
  return opts.run?.orderIds ?? { nonce: meta.nonce, epoch: meta.epoch };
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
  /** Operator trading commands, the kill switch and market timers (journaled inputs). */
  readonly commands: TradingCommands;
  /** What remote brokers tell the run (replies, throttles, gaps, sessions): journaled inputs. */
  readonly remote: RemoteInputs;

  private readonly transport: LogTransport;
  /** The journal's nonce and epoch, which the client order ids carry. */
  private orderIdScope: OrderIdScope;
  /** The journal's health, as the bridge reports it. */
  private readonly journal: JournalHealth;

  private constructor(opts: TradingSystemOptions, meta: JournalMeta) {
    this.meta = meta;
    this.transport = opts.transport;
    this.adapters = opts.brokers.map((b) => b.adapter);
    this.restoring = opts.restore !== undefined;
    this.configs = opts.strategies;
    this.registry = opts.registry ?? new StrategyRegistry();
    this.brokerNames = opts.brokers.map((b) => b.name);
    this.journal = new JournalHealth(
      (halted, reason) => {
        for (const b of this.brokerNames)
          this.setTradingState(b, halted ? 'HALTED' : 'ACTIVE', reason, 'bridge', 'journal');
      },
      (m) => opts.onJournalProblem?.(m),
    );
    this.bridge = new Bridge(opts.transport, meta.nonce, {
      ...opts.bridge,
      ...this.journal.bridgeCallbacks(),
    });
    this.switchboard = new Switchboard(this.bridge, opts.clock, opts.inputClock);
    this.remote = new RemoteInputs(this.switchboard);
    this.orderIdScope = orderIdsOf(opts, meta);
    const hours = opts.hours ?? alwaysOpen();
    const tree = buildTree(
      opts,
      this.registry,
      this.orderIds(),
      hours,
      this.switchboard.inputClock,
    );
    const { rootChildren } = tree;
    this.rejectedConfigs = tree.rejected;
    this.disabledProblems = tree.disabledProblems;
    this.root = createActor(supervisorMachine, {
      input: { name: 'root', children: rootChildren, clock: opts.clock },
    });
    // No actor error may end the process: the root reports, it does not throw.
    this.root.subscribe({ error: (err) => (this.rootError = err) });

    const sb = this.switchboard;
    wireTree(sb, this.root, tree, opts.strategies, opts.brokers);
    const portfolioIds = [...tree.portfolioSpecs.values()].flat().map((p) => p.id);
    const market = opts.run?.market;
    const timers = new MarketTimers(
      hours,
      market?.marks ?? { misEntryCutoff: 24 * 60, misSquareOff: 24 * 60 },
      market?.pnlIntervalMs ?? 0,
      opts.clock.now(),
    );
    this.commands = new TradingCommands(sb, this.brokerNames, portfolioIds, timers);
    sb.onRemote(
      (broker, replies) => {
        for (const reply of replies) this.remote.replied(broker, reply);
      },
      (order, err) =>
        opts.onJournalProblem?.(
          `order ${order.clientOrderId} to ${order.broker} failed to send: ${String(err)}; it stays IN_FLIGHT`,
        ),
    );
  }

  /**
   * The traders' id source: each client order id derives from the journal's scope and the seq of
   * the validated signal being delivered (so replay gives the same ids). Not kept in snapshots.
   */
  private orderIds(): OrderIdSource {
    const source = {
      next: (broker: BrokerName) =>
        clientOrderIdOf(broker, this.orderIdScope, this.switchboard.deliveringSeq),
      toJSON: () => undefined,
    };
    return source;
  }

  /** What keeps the journal from taking records now; null when it is healthy. */
  journalProblem(): string | null {
    return this.journal.problem(this.bridge.backlog);
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
      const run: RunStarted = { ...opts.run, orderIds: orderIdsOf(opts, meta) };
      sys.switchboard.ingest(run, topics.systemEvents, null, 'run', 'runtime');
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
    authority: 'operator' | 'journal' | 'broker' = 'operator',
  ): number {
    const cmd: SetTradingState =
      authority !== 'operator'
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
   * A `journal repair` cut the journal before this input: client order ids move to its epoch
   * from here on (an input, so replay and recovery do the same at the same seq).
   */
  journalRepaired(msg: JournalRepaired, source: string): number {
    this.orderIdScope = { ...this.orderIdScope, epoch: msg.epoch };
    return this.switchboard.ingest(msg, topics.systemEvents, null, 'journal', source);
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
    const checked = this.checkStrategyChange(cfg);
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

  /** Whether configureStrategy would take `cfg` (nothing is journaled): its parsed parameters, or why not. */
  checkStrategyChange(
    cfg: StrategyConfig,
  ): { ok: true; params: unknown } | { ok: false; error: string } {
    const problem = this.rejectedConfigs.get(cfg.id) ?? this.disabledProblems.get(cfg.id);
    return checkLiveChange(
      this.configs.find((c) => c.id === cfg.id),
      cfg,
      this.registry,
      problem,
    );
  }

  /** The configurations the run started with. */
  startConfigs(): readonly StrategyConfig[] {
    return this.configs;
  }

  /** The running actor with this id (`strategy:<id>`, `risk-gate:<broker>`, ...), if any. */
  actor(id: string): AnyActorRef | undefined {
    return actorIn(this.root, id);
  }

  /** The live portfolio of every (broker, strategy), marked to the last tick. */
  portfolios(): PortfolioSnapshot[] {
    return portfoliosIn(this.root, this.brokerNames, this.configs);
  }

  /** Each configured strategy's status. */
  strategies(): StrategyStatus[] {
    return strategyStatuses(this.root, this.brokerNames, this.configs, {
      rejected: this.rejectedConfigs,
      disabled: this.disabledProblems,
    });
  }

  /** Faulted actors with their errors. */
  faults(): Record<string, string> {
    return faultsIn(this.root, this.brokerNames);
  }

  /** Each broker's trading state with its reason, and its strategies that are restricted. */
  brokerStatuses(): BrokerTradingStatus[] {
    return brokerStatusesIn(this.root, this.brokerNames);
  }

  /** Trading state of each broker's gate. */
  tradingStates(): Record<string, TradingState | 'FAULTED'> {
    return tradingStatesIn(this.root, this.brokerNames);
  }

  /** Whether the root has seen an error no supervisor handled. */
  get unhandledError(): unknown {
    return this.rootError;
  }

  /**
   * Flushes the journal, stops every actor and closes the transport. With `flushWithinMs`, a
   * journal that cannot be written (a full disk, a fenced Kafka writer) is given that long, then
   * the close goes on and rejects, naming the records that were never written.
   */
  async close(flushWithinMs?: number): Promise<void> {
    const flushed = this.bridge.flush();
    let timer: NodeJS.Timeout | undefined;
    const late =
      flushWithinMs === undefined
        ? null
        : new Promise<'late'>(
            (resolve) => (timer = setTimeout(() => resolve('late'), flushWithinMs)),
          );
    const outcome = await (late === null ? flushed : Promise.race([flushed, late]));
    clearTimeout(timer);
    const lost =
      outcome === 'late'
        ? new JournalError(
            'JOURNAL_NOT_FLUSHED',
            `records ${this.bridge.durableSeq + 1}..${this.bridge.lastSeq} could not be written to the journal within ${flushWithinMs} ms (${this.journal.writeError ?? 'no write succeeded'}) and are lost; the journal ends at seq ${this.bridge.durableSeq}`,
          )
        : null;
    this.bridge.stop();
    this.root.stop();
    await this.transport.close().catch((err: unknown) => {
      if (lost === null) throw err;
    });
    if (lost !== null) throw lost;
  }
}
