/** A paper broker on a simulated clock, fed the way the runtime feeds it: ticks with seqs, timers. */
import { PaperBroker, type PaperBrokerConfig } from '../../src/brokers/index.js';
import type {
  MarketTick,
  MarketTimerFired,
  OrderEvent,
  OrderFilled,
} from '../../src/model/index.js';
import { SimulatedClock } from '../../src/runtime/index.js';
import type { BrokerCommand } from '../../src/brokers/index.js';
import { zerodhaCharges } from './charges.js';
import { istMs } from './orders.js';

/** 10:00 IST on Monday 5 January 2026, a trading day. */
export const RIG_START_MS = istMs('2026-01-05', 10);

export interface PaperRig {
  readonly broker: PaperBroker;
  readonly clock: SimulatedClock;
  /** Delivers `tick` with the next seq (the clock moved to `atMs` first, when given). */
  tick(tick: MarketTick, atMs?: number): readonly OrderEvent[];
  send(command: BrokerCommand): readonly OrderEvent[];
  /** Fires `timer` with the clock at its due time. */
  timer(timer: MarketTimerFired): readonly OrderEvent[];
  /** The seq of the last tick delivered. */
  readonly seq: number;
}

/** A rig over a paper broker with `config` (Zerodha's charges at the project's rates unless given). */
export function paperRig(
  config: Partial<PaperBrokerConfig> = {},
  startMs = RIG_START_MS,
): PaperRig {
  const clock = new SimulatedClock(startMs);
  const broker = new PaperBroker({ charges: zerodhaCharges(), ...config }, clock);
  let seq = 0;
  return {
    broker,
    clock,
    tick(tick, atMs) {
      if (atMs !== undefined) clock.set(atMs);
      seq += 1;
      return broker.onTick(tick, seq);
    },
    send: (command) => broker.handle(command),
    timer(timer) {
      clock.set(timer.at);
      return broker.onTimer(timer);
    },
    get seq() {
      return seq;
    },
  };
}

/** The event types of `events`, in order. */
export function typesOf(events: readonly OrderEvent[]): string[] {
  return events.map((e) => e.type);
}

/** The fills of `events`. */
export function fillsOf(events: readonly OrderEvent[]): OrderFilled[] {
  return events.filter((e): e is OrderFilled => e.type === 'OrderFilled');
}
