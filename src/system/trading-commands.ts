/**
 * Operator commands on trading state (halt, reduce-only, resume; per broker or per strategy), the
 * kill switch, and market timer fires: each a journaled input delivered to the actors it concerns.
 */
import {
  topics,
  type BrokerName,
  type KillSwitch,
  type MarketTimerFired,
  type TradingCommand,
} from '../model/index.js';
import { actorIds, type Switchboard } from '../runtime/index.js';
import type { MarketTimers } from './market-timers.js';

export class TradingCommands {
  constructor(
    private readonly switchboard: Switchboard,
    private readonly brokers: readonly BrokerName[],
    /** Every portfolio actor's id. */
    private readonly portfolios: readonly string[],
    private readonly timers: MarketTimers,
  ) {}

  /**
   * Journals the market timers due by `now` (session marks, IST midnight, the PnL interval), in
   * time order. The daemon and the backtest call it before each tick batch; replay never does
   * (it replays the journaled fires). Returns how many fired.
   */
  advance(now: number): number {
    const due = this.timers.due(now);
    for (const t of due) this.timer(t);
    return due.length;
  }

  /**
   * Halts, reduces or resumes trading on a broker (or one strategy on it): journaled on
   * `control.commands` and delivered to that broker's gate. Returns the input's seq.
   */
  trading(cmd: TradingCommand, source = 'operator'): number {
    const key = cmd.strategyId === undefined ? cmd.broker : `${cmd.broker}:${cmd.strategyId}`;
    return this.switchboard.ingest(
      cmd,
      topics.controlCommands,
      actorIds.riskGate(cmd.broker),
      key,
      source,
    );
  }

  /**
   * The kill switch: every broker's gate HALTED and every open order canceled (its trader sends
   * a CancelOrder for each). One input on `control.commands`. Returns its seq.
   */
  kill(reason: string, source = 'operator'): number {
    const msg: KillSwitch = { type: 'KillSwitch', reason };
    const targets = this.brokers.flatMap((b) => [actorIds.riskGate(b), actorIds.trader(b)]);
    return this.switchboard.ingest(msg, topics.controlCommands, targets, 'kill', source);
  }

  /**
   * A market timer fired: journaled on `market.timers` and delivered to simulated brokers (by the
   * switchboard), every gate and every portfolio. Returns its seq.
   */
  timer(t: MarketTimerFired, source = 'clock'): number {
    this.timers.seen(t);
    const targets = [...this.brokers.map((b) => actorIds.riskGate(b)), ...this.portfolios];
    return this.switchboard.ingest(t, topics.marketTimers, targets, t.kind, source);
  }
}
