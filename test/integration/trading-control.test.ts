/**
 * Trading control across brokers: halting one broker leaves another trading, the kill switch
 * halts every broker and cancels every open order, a daily loss limit moves a strategy to
 * REDUCING with a journaled reason, and a halt survives a restart (it is in the journal).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { BrokerCommand, RemoteBroker } from '../../src/brokers/index.js';
import { PaperBroker } from '../../src/brokers/index.js';
import {
  strategyId,
  type JournalRecord,
  type OrderEvent,
  type SignalRejected,
  type SignalValidated,
  type StrategyConfig,
  type TradingStateChanged,
} from '../../src/model/index.js';
import { InputClock, SimulatedClock } from '../../src/runtime/clock.js';
import { SeededRandom } from '../../src/runtime/ids.js';
import { LmdbTransport } from '../../src/runtime/transports/lmdb.js';
import { StrategyRegistry } from '../../src/strategies/index.js';
import { defaultBrokerSpec, TradingSystem } from '../../src/system/index.js';
import { MockMarket } from '../../src/feed/index.js';
import { zerodhaCharges } from '../helpers/charges.js';
import { orderMixStrategy } from '../helpers/order-mix-strategy.js';
import { instruments, tempDir } from '../helpers/system.js';

const RELIANCE = 738561;
const TCS = 2953217;
const START = Date.UTC(2026, 0, 5, 3, 45); // 09:15 IST

const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A remote broker that accepts every order and leaves it open until canceled. */
function restingRemote(): RemoteBroker & { open: Set<string> } {
  const open = new Set<string>();
  return {
    execution: 'remote',
    broker: 'zerodha',
    open,
    send(c: BrokerCommand): Promise<OrderEvent[]> {
      const base = {
        broker: c.broker,
        clientOrderId: c.clientOrderId,
        strategyId: c.strategyId,
        token: c.token,
      };
      if (c.type === 'SubmitOrder') {
        open.add(c.clientOrderId);
        return Promise.resolve([
          { type: 'OrderAccepted', ...base, brokerOrderId: `Z${open.size}` },
        ]);
      }
      if (c.type === 'CancelOrder' && open.delete(c.clientOrderId))
        return Promise.resolve([
          { type: 'OrderCanceled', ...base, side: 'BUY', quantity: 10 as never, reason: c.reason },
        ]);
      return Promise.resolve([]);
    },
  };
}

async function twoBrokers(
  dir: string,
  limits: Partial<ReturnType<typeof defaultBrokerSpec>['limits']> = {},
) {
  const clock = new SimulatedClock(START);
  const random = new SeededRandom(3);
  const inputClock = new InputClock();
  const registry = new StrategyRegistry();
  registry.register(orderMixStrategy);
  const remote = restingRemote();
  const strategies: StrategyConfig[] = [
    {
      id: strategyId('mix'),
      type: 'order_mix',
      params: { every: 10, quantity: 10 },
      instruments: [RELIANCE, TCS],
      brokers: ['paper', 'zerodha'],
      enabled: true,
    },
  ];
  const spec = defaultBrokerSpec();
  const system = await TradingSystem.open({
    clock,
    random,
    inputClock,
    registry,
    transport: new LmdbTransport(`${dir}/journal`),
    instruments: instruments(),
    strategies,
    brokers: [
      {
        name: 'paper',
        adapter: new PaperBroker({ charges: zerodhaCharges(), seed: 3 }, inputClock),
        limits: { ...spec.limits, maxDailyTrades: 100_000, maxOpenOrders: 10_000, ...limits },
      },
      {
        name: 'zerodha',
        adapter: remote,
        limits: { ...spec.limits, maxDailyTrades: 100_000, maxOpenOrders: 10_000 },
      },
    ],
  });
  const market = new MockMarket(instruments(), random.fork('market'));
  const records: JournalRecord[] = [];
  system.switchboard.tap((r) => records.push(r));
  const feed = async (n: number) => {
    for (let done = 0; done < n; done += 20) {
      const ticks = [];
      for (let i = 0; i < 20; i++) {
        clock.advance(50);
        ticks.push(market.next(clock.now()));
      }
      system.commands.advance(clock.now());
      system.ingestTicks(ticks);
    }
    await system.bridge.flush();
    // Remote replies arrive through ingress once their orders are durable.
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
  };
  return { system, remote, records, feed };
}

const since = (records: JournalRecord[], seq: number, type: string) =>
  records.filter((r) => r.seq > seq && r.type === type);

describe('trading control', () => {
  it('halting paper leaves zerodha trading; the kill switch halts both and cancels every open order', async () => {
    const dir = tempDir();
    cleanups.push(() => dir.remove());
    const t = await twoBrokers(dir.path);
    cleanups.push(() => t.system.close());
    await t.feed(2_000);
    const haltSeq = t.system.commands.trading({
      type: 'HaltTrading',
      broker: 'paper',
      reason: 'test',
    });
    await t.feed(2_000);
    const after = since(t.records, haltSeq, 'SignalValidated').map(
      (r) => (r.data as SignalValidated).broker,
    );
    expect(after.filter((b) => b === 'zerodha').length).toBeGreaterThan(0);
    expect(after.filter((b) => b === 'paper')).toEqual([]);
    const halted = since(t.records, haltSeq, 'SignalRejected').map((r) => r.data as SignalRejected);
    expect(halted.some((r) => r.broker === 'paper' && r.code === 'TRADING_HALTED')).toBe(true);
    expect(t.system.tradingStates()).toEqual({ paper: 'HALTED', zerodha: 'ACTIVE' });

    t.system.commands.trading({ type: 'ResumeTrading', broker: 'paper', reason: 'test' });
    await t.feed(1_000);
    const openPaper = t.system.actor('trader:paper')!.getSnapshot().context.open as Record<
      string,
      unknown
    >;
    expect(Object.keys(openPaper).length).toBeGreaterThan(0); // resting limits
    expect(t.remote.open.size).toBeGreaterThan(0);

    const killSeq = t.system.commands.kill('test kill');
    await t.feed(20);
    expect(t.system.tradingStates()).toEqual({ paper: 'HALTED', zerodha: 'HALTED' });
    expect(t.remote.open.size).toBe(0);
    expect(
      Object.keys(t.system.actor('trader:paper')!.getSnapshot().context.open as object),
    ).toEqual([]);
    const cancels = since(t.records, killSeq, 'CancelOrder').map((r) => r.data as BrokerCommand);
    expect(
      cancels
        .filter((c) => c.broker === 'paper')
        .map((c) => c.clientOrderId)
        .sort(),
    ).toEqual(Object.keys(openPaper).sort());
    expect(since(t.records, killSeq, 'SignalValidated')).toEqual([]);
  });

  it('moves a strategy past its daily loss limit to REDUCING, journaled with why, where it can only reduce', async () => {
    const dir = tempDir();
    cleanups.push(() => dir.remove());
    // One rupee: the charges of the first round trip breach it.
    const t = await twoBrokers(dir.path, { dailyLossLimitPerStrategy: 100 });
    cleanups.push(() => t.system.close());
    await t.feed(3_000);
    const change = t.records.find(
      (r) =>
        r.type === 'TradingStateChanged' && (r.data as TradingStateChanged).strategyId === 'mix',
    );
    expect(change?.data).toMatchObject({ broker: 'paper', strategyId: 'mix', to: 'REDUCING' });
    expect((change!.data as TradingStateChanged).reason).toMatch(/loss/);
    const reduced = since(t.records, change!.seq, 'SignalRejected')
      .map((r) => r.data as SignalRejected)
      .filter((r) => r.broker === 'paper');
    expect(reduced.some((r) => r.code === 'REDUCE_ONLY')).toBe(true);
    // What still passes on paper only shrinks positions.
    const passed = since(t.records, change!.seq, 'SignalValidated').filter(
      (r) => (r.data as SignalValidated).broker === 'paper',
    );
    for (const r of passed)
      expect((r.data as SignalValidated).checks.every((c) => c.passed)).toBe(true);
  });
});
