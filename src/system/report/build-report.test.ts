// The report of a small journal whose every figure is computed by hand below: one strategy on
// paper, two instruments, two IST days, three round trips and one position left open.
import { describe, expect, it } from 'vitest';
import { loadSettings } from '../../config/index.js';
import {
  clientOrderIdOf,
  paise,
  quantity,
  strategyId,
  type ActorOutput,
  type JournalRecord,
  type RunStarted,
  type Side,
} from '../../model/index.js';
import { derivedRecord, tickRecords } from '../../../test/helpers/journal-records.js';
import { instruments } from '../../../test/helpers/system.js';
import { makeTick } from '../../../test/helpers/ticks.js';
import { runSpec } from '../run-spec.js';
import { buildReport } from './build-report.js';

const R = 738561; // RELIANCE
const T = 2953217; // TCS
const SID = strategyId('hand');
const C = 100_000_000; // the default starting cash, ₹10,00,000 in paise
const T0 = Date.UTC(2026, 0, 5, 3, 45); // 2026-01-05 09:15 IST
const T1 = T0 + 86_400_000; // 2026-01-06 09:15 IST
const MIN = 60_000;

function run(id = 'hand'): RunStarted {
  const strategies = [
    {
      id,
      type: 'momentum',
      params: {},
      instruments: [R, T],
      brokers: ['paper' as const],
      enabled: true,
    },
  ];
  return runSpec(loadSettings({}), instruments(), strategies, 3);
}

/** Builds a journal record by record, seqs from 1. */
class Journal {
  readonly records: JournalRecord[] = [];
  private orders = 0;
  start(r: RunStarted, ts = T0 - 1000): this {
    const seq = this.records.length + 1;
    this.records.push({
      seq,
      ts,
      type: 'RunStarted',
      topic: 'system.events',
      source: 'runtime',
      target: null,
      correlationSeq: seq,
      causationSeq: 0,
      broker: 'system',
      key: 'run',
      data: r,
    });
    return this;
  }
  tick(token: number, price: number, ts: number): this {
    this.records.push(
      ...tickRecords(this.records.length + 1, [makeTick(token, price, { ts })], ts),
    );
    return this;
  }
  msg(m: ActorOutput, ts: number): this {
    const seq = this.records.length + 1;
    this.records.push(derivedRecord(seq, m, 'trader:paper', seq, seq - 1, ts));
    return this;
  }
  /** A SubmitOrder and its fill (price and fees in paise). */
  order(token: number, side: Side, qty: number, price: number, fees: number, ts: number): this {
    const clientOrderId = clientOrderIdOf('paper', { nonce: 1, epoch: 0 }, ++this.orders);
    const base = { broker: 'paper' as const, clientOrderId, strategyId: SID, token, side };
    this.msg(
      {
        type: 'SubmitOrder',
        ...base,
        quantity: quantity(qty),
        orderType: 'MARKET',
        validity: 'DAY',
        product: 'MIS',
        price: paise(price),
      },
      ts,
    );
    return this.msg(
      {
        type: 'OrderFilled',
        ...base,
        quantity: quantity(qty),
        price: paise(price),
        fees: paise(fees),
        slippage: paise(0),
        tickSeq: this.records.length,
        product: 'MIS',
      },
      ts,
    );
  }
}

/** The hand-computed case; every figure the tests expect is derived in their comments. */
function handJournal(): JournalRecord[] {
  const j = new Journal().start(run());
  j.tick(R, 100_000, T0)
    .msg(
      {
        type: 'TradingSignal',
        broker: 'paper',
        strategyId: SID,
        token: R,
        side: 'BUY',
        quantity: quantity(10),
        price: paise(100_000),
        confidence: 1,
        reasoning: 'hand',
        tickSeq: 2,
      },
      T0,
    )
    .order(R, 'BUY', 10, 100_050, 100, T0)
    .tick(R, 101_000, T0 + MIN)
    .order(R, 'SELL', 10, 100_950, 100, T0 + MIN)
    .tick(T, 300_000, T0 + 2 * MIN);
  j.records.push({
    ...derivedRecord(
      j.records.length + 1,
      {
        type: 'SignalRejected',
        broker: 'paper',
        signal: {
          type: 'TradingSignal',
          broker: 'paper',
          strategyId: SID,
          token: R,
          side: 'BUY',
          quantity: quantity(100_000),
          price: paise(101_000),
          confidence: 1,
          reasoning: 'hand',
          tickSeq: 5,
        },
        code: 'INSUFFICIENT_CASH',
        detail: 'hand',
        checks: [],
      },
      'risk-gate:paper',
      5,
      5,
      T0 + 2 * MIN,
    ),
  });
  j.order(T, 'SELL', 5, 299_900, 50, T0 + 2 * MIN)
    .tick(T, 305_000, T0 + 3 * MIN)
    .tick(T, 302_000, T1)
    .order(T, 'BUY', 5, 302_100, 60, T1)
    .tick(R, 99_000, T1 + MIN)
    .order(R, 'BUY', 20, 99_100, 150, T1 + MIN)
    .tick(R, 99_500, T1 + 2 * MIN)
    .order(R, 'SELL', 10, 99_400, 80, T1 + 2 * MIN)
    .msg(
      {
        type: 'OrderRejected',
        broker: 'paper',
        clientOrderId: clientOrderIdOf('paper', { nonce: 1, epoch: 0 }, 99),
        strategyId: SID,
        token: T,
        side: 'SELL',
        quantity: quantity(1),
        code: 'NO_POSITION_TO_SELL',
        detail: 'hand',
      },
      T1 + 2 * MIN,
    )
    .tick(R, 99_800, T1 + 3 * MIN);
  return j.records;
}

describe('buildReport on a hand-computed journal', () => {
  it('matches the round trips FIFO, net of prorated charges', async () => {
    const r = await buildReport(handJournal());
    // 1. LONG 10 R: (100 950 − 100 050) × 10 = 9 000 gross, fees 100 + 100 = 200, net 8 800.
    // 2. SHORT 5 T: (299 900 − 302 100) × 5 = −11 000 gross, fees 50 + 60 = 110, net −11 110.
    // 3. LONG 10 of 20 R: (99 400 − 99 100) × 10 = 3 000 gross; entry 150 × 10/20 = 75 + exit
    //    80 = 155; net 2 845.
    expect(
      r.trades.map((t) => [t.symbol, t.side, t.quantity, t.grossPnl, t.charges, t.netPnl]),
    ).toEqual([
      ['RELIANCE', 'LONG', 10, 9_000, 200, 8_800],
      ['TCS', 'SHORT', 5, -11_000, 110, -11_110],
      ['RELIANCE', 'LONG', 10, 3_000, 155, 2_845],
    ]);
    expect(r.trades[1]).toMatchObject({
      entryTs: T0 + 2 * MIN,
      exitTs: T1,
      entryPrice: 299_900,
      exitPrice: 302_100,
    });
    // Left open: 10 R bought at 99 100 with 75 of entry fees, marked at 99 800: 7 000.
    expect(r.openPositions).toEqual([
      {
        broker: 'paper',
        strategyId: 'hand',
        token: R,
        symbol: 'RELIANCE',
        side: 'LONG',
        quantity: 10,
        entryTs: T1 + MIN,
        averageEntryPrice: 99_100,
        lastPrice: 99_800,
        unrealizedPnl: 7_000,
        charges: 75,
      },
    ]);
  });

  it('reports the portfolio, the instruments and the counts', async () => {
    const r = await buildReport(handJournal());
    // Realized 9 000 − 11 000 + 3 000 = 1 000; unrealized 7 000; charges 100 + 100 + 50 + 60 +
    // 150 + 80 = 540; equity C + 1 000 + 7 000 − 540 = C + 7 460.
    expect(r.portfolios).toEqual([
      {
        broker: 'paper',
        strategyId: 'hand',
        startingCash: C,
        endingEquity: C + 7_460,
        return: 7_460 / C,
        realized: 1_000,
        unrealized: 7_000,
        charges: 540,
        trades: 3,
        fills: 6,
      },
    ]);
    expect(r.startingEquity).toBe(C);
    expect(r.endingEquity).toBe(C + 7_460);
    expect(r.netPnl).toBe(7_460);
    expect(r.chargesPaid).toBe(540);
    // RELIANCE: 8 800 + 2 845 = 11 645 net, fees 100 + 100 + 150 + 80 = 430. TCS: −11 110, 110.
    expect(r.perInstrument).toEqual([
      { token: R, symbol: 'RELIANCE', trades: 2, netPnl: 11_645, charges: 430 },
      { token: T, symbol: 'TCS', trades: 1, netPnl: -11_110, charges: 110 },
    ]);
    expect(r.rejections).toEqual({ INSUFFICIENT_CASH: 1, NO_POSITION_TO_SELL: 1 });
    expect([r.signals, r.orders, r.fills, r.cancels, r.runsInJournal]).toEqual([1, 6, 6, 0, 1]);
    expect(r.run).toMatchObject({ fromSeq: 1, seed: 3, startTs: T0, endTs: T1 + 3 * MIN, days: 2 });
  });

  it('samples equity at every fill and each IST day end, and measures it', async () => {
    const r = await buildReport(handJournal());
    // A position is marked at its last fill until a later tick (as the portfolio actor does).
    // start C; fill 1: cash C − 1 000 500 − 100, 10 R at 100 050 → C − 100; fill 2: C + 8 800;
    // fill 3: cash C + 8 800 + 1 499 500 − 50, −5 T at 299 900 → C + 8 750; day 1 ends with T at
    // 305 000: C + 1 508 250 − 1 525 000 = C − 16 750; fill 4: C − 2 310; fill 5: cash
    // C − 1 984 460, 20 R at 99 100 → C − 2 460; fill 6: cash C − 990 540, 10 R at 99 400 →
    // C + 3 460; end: 10 R at the last tick, 99 800 → C + 7 460.
    expect(r.equity.map((p) => p.equity - C)).toEqual([
      0, -100, 8_800, 8_750, -16_750, -2_310, -2_460, 3_460, 7_460,
    ]);
    expect(r.equity[4]!.ts).toBe(T0 + 3 * MIN);
    // Peak C + 8 800 (T0 + 1 min), trough C − 16 750 (day 1's last tick): 25 550 paise.
    expect(r.maxDrawdown).toEqual({
      fraction: 25_550 / (C + 8_800),
      paise: 25_550,
      peakTs: T0 + MIN,
      troughTs: T0 + 3 * MIN,
    });
    expect(r.drawdown[4]!.drawdown).toBeCloseTo(25_550 / (C + 8_800), 15);
    // Daily returns: r1 = (C − 16 750)/C − 1 = −0.0001675; r2 = (C + 7 460)/(C − 16 750) − 1 =
    // 24 210 / 99 983 250 = 0.00024214056. Mean 0.0000373203; sample sd of two = |r1 − r2|/√2 =
    // 0.00040964056/√2 = 0.000289660; Sharpe = 0.0000373203/0.000289660 × √252 = 2.04530.
    // Downside deviation √(r1²/2) = 0.000118440; Sortino = 0.0000373203/0.000118440 × √252
    // = 5.00204.
    expect(r.sharpe).toBeCloseTo(2.0453, 4);
    expect(r.sortino).toBeCloseTo(5.00204, 4);
    // Wins 8 800 and 2 845 of 3 trades; profit factor (8 800 + 2 845) / 11 110 = 1.048155.
    expect(r.winRate).toBeCloseTo(2 / 3, 15);
    expect(r.profitFactor).toBeCloseTo(1.048155, 6);
    // Open from T0 to T0 + 1 min, from T0 + 2 min to T1, and from T1 + 1 min to the end
    // (T1 + 3 min): 60 000 + 86 280 000 + 120 000 = 86 460 000 of 86 580 000 ms = 0.998614.
    expect(r.exposure).toBeCloseTo(86_460_000 / 86_580_000, 15);
  });

  it('marks the fills on the price charts', async () => {
    const r = await buildReport(handJournal());
    expect(r.prices.map((p) => [p.symbol, p.points.length, p.markers.map((m) => m.kind)])).toEqual([
      ['RELIANCE', 5, ['ENTRY', 'EXIT', 'ENTRY', 'EXIT']],
      ['TCS', 3, ['ENTRY', 'EXIT']],
    ]);
  });

  it('gives byte-identical JSON twice and downsamples to maxPoints', async () => {
    const a = JSON.stringify(await buildReport(handJournal()));
    const b = JSON.stringify(await buildReport(handJournal()));
    expect(a).toBe(b);
    const small = await buildReport(handJournal(), { maxPoints: 3 });
    expect(small.equity.map((p) => p.equity - C)).toEqual([0, -16_750, 7_460]);
    expect(small.drawdown.map((p) => p.ts)).toEqual(small.equity.map((p) => p.ts));
    // The figures come from every sample, not the kept ones.
    expect(small.maxDrawdown.paise).toBe(25_550);
  });

  it('reports the last run of a journal with several and refuses one without a run', async () => {
    const first = handJournal();
    const second = new Journal();
    second.records.push(...first);
    second.start(run('again'), T1 + 10 * MIN).tick(R, 99_000, T1 + 11 * MIN);
    const r = await buildReport(second.records);
    expect(r.runsInJournal).toBe(2);
    expect(r.run.fromSeq).toBe(first.length + 1);
    expect(r.trades).toEqual([]);
    expect(r.portfolios.map((p) => p.strategyId)).toEqual(['again']);
    await expect(buildReport(first.slice(1))).rejects.toThrow(/no RunStarted record/);
  });
});
