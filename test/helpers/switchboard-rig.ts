/**
 * A switchboard on a recording bridge with hand-made actors under one supervisor, and the
 * pipeline in miniature (strategy, risk gate, trader, portfolio) for switchboard tests.
 */
import { createActor } from 'xstate';
import {
  clientOrderIdOf,
  paise,
  quantity,
  strategyId,
  type JournalRecord,
  type MarketTick,
  type OrderEvent,
  type SubmitOrder,
  type TradingSignal,
} from '../../src/model/index.js';
import { Bridge } from '../../src/runtime/bridge.js';
import { SimulatedClock } from '../../src/runtime/clock.js';
import { tickRecord } from '../../src/runtime/codec.js';
import { childOf, supervisorMachine } from '../../src/runtime/supervisor.js';
import type { SimulatedSink } from '../../src/runtime/outbox.js';
import { Switchboard } from '../../src/runtime/switchboard.js';
import type { EncodedBatch } from '../../src/runtime/transport.js';
import { DiscardTransport } from '../../src/runtime/transports/discard.js';
import { probeMachine, type ProbeContext, type React } from './probe-actor.js';

export const T0 = 1_767_584_700_000;
export const A = 738561;
export const B = 2953217;
const SID = strategyId('s1');
export const S = 'strategy:s1';
export const RG = 'risk-gate:paper';
export const TR = 'trader:paper';
export const PF = 'portfolio:paper:s1';

/** A bridge that keeps every record handed to it, in hand-over order. */
export class RecordingBridge extends Bridge {
  readonly handed: JournalRecord[] = [];
  override append(rec: JournalRecord): void {
    this.handed.push(rec);
    super.append(rec);
  }
  override appendTick(seq: number, ts: number, tick: MarketTick, batch: number): void {
    this.handed.push(tickRecord(seq, ts, tick, batch));
    super.appendTick(seq, ts, tick, batch);
  }
}

/** A transport whose appends land only when the test calls `release()`. */
export class HeldTransport extends DiscardTransport {
  private readonly held: Array<() => void> = [];
  override append(batches: readonly EncodedBatch[]): Promise<void> {
    return new Promise((resolve, reject) =>
      this.held.push(() => void super.append(batches).then(resolve, reject)),
    );
  }
  release(): void {
    for (const h of this.held.splice(0)) h();
  }
}

/** A switchboard over `reacts` (actor id to probe), each a child of `supervisor:test`. */
export function rig(
  reacts: Record<string, React>,
  opts: { lastSeq?: number; transport?: DiscardTransport; maxRestarts?: number } = {},
) {
  const clock = new SimulatedClock(T0);
  const bridge = new RecordingBridge(opts.transport ?? new DiscardTransport(opts.lastSeq ?? 0), 0);
  const sb = new Switchboard(bridge, clock);
  const log: string[] = [];
  const children = Object.entries(reacts).map(([id, r]) => ({
    id,
    logic: probeMachine(id, r, log),
    input: {},
  }));
  const budget = { maxRestarts: opts.maxRestarts ?? 5, windowMs: 60_000 };
  const sup = createActor(supervisorMachine, {
    input: { name: 'test', children, clock, budget },
  });
  sb.register('supervisor:test', () => sup);
  for (const c of children) sb.register(c.id, () => childOf(sup, c.id));
  sup.start();
  sb.attach('supervisor:test');
  const got = (id: string) => (childOf(sup, id)!.getSnapshot().context as ProbeContext).got;
  const derived = () => bridge.handed.filter((r) => r.type !== 'MarketTick');
  return { clock, bridge, sb, sup, log, got, derived };
}

export const signal = (token: number, tickSeq: number, price = 100_000): TradingSignal => ({
  type: 'TradingSignal',
  broker: 'paper',
  strategyId: SID,
  token,
  side: 'BUY',
  quantity: quantity(10),
  price: paise(price),
  confidence: 0.5,
  reasoning: 'test',
  tickSeq,
});
const orderOf = (s: TradingSignal): SubmitOrder => ({
  type: 'SubmitOrder',
  broker: 'paper',
  clientOrderId: clientOrderIdOf('paper', { nonce: 1, epoch: 0 }, s.tickSeq),
  strategyId: SID,
  token: s.token,
  side: s.side,
  quantity: s.quantity,
  orderType: 'MARKET',
  validity: 'DAY',
  product: 'CNC',
  price: s.price,
});
export const repliesTo = (o: SubmitOrder): OrderEvent[] => {
  const { broker, clientOrderId, strategyId: sid, token, side, quantity: q, price } = o;
  const base = { broker, clientOrderId, strategyId: sid, token };
  return [
    { type: 'OrderAccepted', ...base, brokerOrderId: `X${clientOrderId}` },
    {
      type: 'OrderFilled',
      ...base,
      side,
      quantity: q,
      price,
      fees: paise(1),
      slippage: paise(0),
      tickSeq: 0,
      product: o.product,
    },
  ];
};

/** The pipeline in miniature: a signal per tick, validated, submitted; the trader passes replies on. */
export const pipeline: Record<string, React> = {
  [S]: (e) =>
    e.type === 'TicksReceived'
      ? e.ticks.map((t, i) => signal(t.token, e.seqs[i]!, t.lastPrice))
      : [],
  [RG]: (e) =>
    e.type === 'TradingSignal'
      ? [
          {
            type: 'SignalValidated',
            broker: 'paper',
            signal: e,
            checks: [],
            order: { orderType: 'MARKET', validity: 'DAY', product: 'CNC', slices: [e.quantity] },
          },
        ]
      : [],
  [TR]: (e) =>
    e.type === 'SignalValidated'
      ? [orderOf(e.signal)]
      : e.type === 'BrokerReplied'
        ? [e.reply]
        : [],
  [PF]: () => [],
};

/** A simulated adapter that records the tick seqs it sees and the orders it fills. */
export function simulated(): SimulatedSink & { ticks: number[]; orders: SubmitOrder[] } {
  const ticks: number[] = [];
  const orders: SubmitOrder[] = [];
  return {
    execution: 'simulated',
    broker: 'paper',
    ticks,
    orders,
    onTick: (_t, seq) => (ticks.push(seq), []),
    onTimer: () => [],
    handle: (c) => (c.type === 'SubmitOrder' ? (orders.push(c), repliesTo(c)) : []),
  };
}

/** Lets promise callbacks and the bridge's next-turn flush run, until `done` or a bound of turns. */
export async function until(done: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !done(); i++) await new Promise((r) => setImmediate(r));
}
