/**
 * A long seeded run with every order type, validity and product in use, sliced orders, brackets,
 * latency, MIS square-off, DAY expiry, operator halts and the kill switch: the accounting
 * invariant holds at every snapshot, and replay reproduces the run exactly.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  JournalRecord,
  OrderCanceled,
  OrderFilled,
  PortfolioSnapshot,
  SubmitOrder,
  TradingStateChanged,
} from '../../src/model/index.js';
import { strategyId } from '../../src/model/index.js';
import { runReplay } from '../../src/system/index.js';
import { ist, marketRun, type MarketRun } from '../helpers/market-run.js';
import { orderMixStrategy } from '../helpers/order-mix-strategy.js';
import { tempDir } from '../helpers/system.js';

const TOKENS = [738561, 2953217, 1270529, 492033];
const START_CASH = 100_000_000;

let run: MarketRun;
let records: JournalRecord[];
const dir = tempDir();

beforeAll(async () => {
  // Monday 2026-01-05 14:40 IST to Tuesday 2026-01-06 about 15:35: the MIS cut-off, square-off
  // and close on both days, IST midnight and the next open. One tick a second over 20 instruments.
  run = await marketRun({
    dir: dir.path,
    env: {
      MARKET_HOURS: 'calendar',
      RISK__FREEZE_QUANTITY: '12',
      RISK__MAX_DAILY_TRADES: '100000',
      RISK__MAX_OPEN_ORDERS: '1000',
      RISK__MAX_POSITION_PER_INSTRUMENT: '100000',
      PAPER_TRADING__LATENCY_MS: '200',
      PAPER_TRADING__LATENCY_JITTER_MS: '1500',
      PORTFOLIO__PNL_SNAPSHOT_SECONDS: '300',
    },
    strategies: [
      {
        id: strategyId('mix'),
        type: 'order_mix',
        params: { every: 25, quantity: 10 },
        instruments: TOKENS,
        brokers: ['paper'],
        enabled: true,
      },
    ],
    extraStrategies: [orderMixStrategy],
    startMs: ist('2026-01-05T14:40:00'),
    ticks: 90_000,
    tickMs: 1_000,
    onBatch: (system, b) => {
      // An operator halts and resumes the strategy, then the broker; at the end, the kill switch.
      const mix = strategyId('mix');
      if (b === 1_000)
        system.commands.trading({
          type: 'HaltTrading',
          broker: 'paper',
          strategyId: mix,
          reason: 'test halt',
        });
      if (b === 1_100)
        system.commands.trading({
          type: 'ResumeTrading',
          broker: 'paper',
          strategyId: mix,
          reason: 'test resume',
        });
      if (b === 2_000)
        system.commands.trading({ type: 'ReduceOnly', broker: 'paper', reason: 'test reduce' });
      if (b === 2_100)
        system.commands.trading({ type: 'ResumeTrading', broker: 'paper', reason: 'test resume' });
      if (b === 4_400) system.commands.kill('test kill');
    },
  });
  records = await run.records();
}, 120_000);

afterAll(async () => {
  await run?.close();
  dir.remove();
});

const of = <T>(type: string) => records.filter((r) => r.type === type).map((r) => r.data as T);

describe('a run with every order type', () => {
  it('used every order type, validity and product, slices, brackets, square-off and expiry', () => {
    const orders = of<SubmitOrder>('SubmitOrder');
    expect(new Set(orders.map((o) => o.orderType))).toEqual(
      new Set(['MARKET', 'LIMIT', 'SL', 'SL-M']),
    );
    expect(new Set(orders.map((o) => o.validity))).toEqual(new Set(['DAY', 'IOC', 'FOK']));
    expect(new Set(orders.map((o) => o.product))).toEqual(new Set(['CNC', 'MIS']));
    expect(orders.some((o) => o.bracket !== undefined)).toBe(true);
    expect(orders.some((o) => o.clientOrderId.length === 19)).toBe(true); // a slice
    const fills = of<OrderFilled>('OrderFilled');
    expect(fills.some((f) => f.clientOrderId.startsWith('SQ'))).toBe(true); // MIS square-off
    expect(fills.some((f) => /[TS]$/.test(f.clientOrderId) && f.clientOrderId.length === 19)).toBe(
      true,
    );
    const cancels = of<OrderCanceled>('OrderCanceled');
    expect(cancels.some((c) => c.reason.includes('expired'))).toBe(true);
    expect(cancels.some((c) => c.reason.startsWith('kill switch'))).toBe(true);
    const states = of<TradingStateChanged>('TradingStateChanged');
    expect(states.map((s) => [s.strategyId ?? 'broker', s.to])).toEqual(
      expect.arrayContaining([
        ['mix', 'HALTED'],
        ['mix', 'ACTIVE'],
        ['broker', 'REDUCING'],
        ['broker', 'HALTED'],
      ]),
    );
    expect(records.filter((r) => r.type === 'MarketTimerFired').length).toBeGreaterThan(10);
  });

  it('keeps cash + marked positions − starting cash = realized + unrealized, to the paisa, at every snapshot', () => {
    const snaps = of<PortfolioSnapshot>('PortfolioSnapshot');
    expect(snaps.length).toBeGreaterThan(100);
    for (const s of snaps) {
      const marked = s.positions.reduce((a, p) => a + p.quantity * p.lastPrice, 0);
      expect(s.cash + marked - START_CASH).toBe(s.realizedPnl + s.unrealizedPnl);
    }
  });

  it('replays to the same fingerprint with zero divergences', async () => {
    const r = await runReplay(run.transport, { registry: run.registry });
    expect(r.divergences).toBe(0);
    expect(r.runs).toBe(1);
    expect(r.fingerprint).toBe(r.recordedFingerprint);
    expect(r.fingerprint).toBe(run.system.switchboard.fingerprint());
  });
});
