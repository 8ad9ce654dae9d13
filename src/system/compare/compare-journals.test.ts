// Two small LMDB journals written in the test and compared as the `compare` command reads them
// (read-only, from seq 1): one order identical, one removed, one added, one at another price.
import { afterEach, describe, expect, it } from 'vitest';
import { loadSettings } from '../../config/index.js';
import {
  clientOrderIdOf,
  paise,
  quantity,
  strategyId,
  type BrokerName,
  type JournalRecord,
  type Side,
} from '../../model/index.js';
import { derivedRecord, encodedBatch, tickRecords } from '../../../test/helpers/journal-records.js';
import { tempDir } from '../../../test/helpers/system.js';
import { makeTick } from '../../../test/helpers/ticks.js';
import { backtestJournal, openJournalToRead } from '../compose.js';
import { compareJournals } from './compare-journals.js';
import { journalOrders } from './journal-orders.js';

const T0 = Date.UTC(2026, 0, 5, 3, 45);
const MIN = 60_000;
const R = 738561;
const NONCE = 77;

interface Spec {
  readonly at: number;
  readonly sid?: string;
  readonly token?: number;
  readonly side?: Side;
  readonly qty?: number;
  readonly price: number;
  readonly fill: number;
}

/** A journal with a tick before each order (market time), the order and its fill. */
function records(broker: BrokerName, orders: readonly Spec[]): JournalRecord[] {
  const out: JournalRecord[] = [];
  for (const o of orders) {
    out.push(...tickRecords(out.length + 1, [makeTick(o.token ?? R, o.price, { ts: o.at })], o.at));
    const id = clientOrderIdOf(broker, { nonce: NONCE, epoch: 0 }, out.length + 1);
    const base = {
      broker,
      clientOrderId: id,
      strategyId: strategyId(o.sid ?? 's1'),
      token: o.token ?? R,
      side: o.side ?? 'BUY',
      quantity: quantity(o.qty ?? 10),
    };
    out.push(
      derivedRecord(
        out.length + 1,
        {
          type: 'SubmitOrder',
          ...base,
          orderType: 'MARKET',
          validity: 'DAY',
          product: 'CNC',
          price: paise(o.price),
        },
        `trader:${broker}`,
        out.length,
        out.length,
        o.at + 5,
      ),
    );
    // Two partial fills: the average is what compare reports.
    for (const [q, p] of [
      [4, o.fill - 10],
      [6, o.fill + 5],
    ] as const)
      out.push(
        derivedRecord(
          out.length + 1,
          {
            type: 'OrderFilled',
            ...base,
            quantity: quantity(((o.qty ?? 10) * q) / 10),
            price: paise(p),
            fees: paise(10),
            slippage: paise(0),
            tickSeq: out.length,
            product: 'CNC',
          },
          `trader:${broker}`,
          out.length,
          out.length,
          o.at + 10,
        ),
      );
  }
  return out;
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

async function write(recs: JournalRecord[]): Promise<string> {
  const dir = tempDir('ap-compare-');
  cleanups.push(dir.remove);
  const t = backtestJournal(dir.path);
  await t.open({ nonce: NONCE, createdMs: T0 });
  await t.append([encodedBatch(recs, NONCE)]);
  await t.close();
  return dir.path;
}

const A: Spec[] = [
  { at: T0, price: 100_000, fill: 100_050 },
  { at: T0 + 5 * MIN, token: 2953217, side: 'SELL', price: 300_000, fill: 299_900 },
  { at: T0 + 20 * MIN, side: 'SELL', price: 101_000, fill: 100_950 },
];
const B: Spec[] = [
  { at: T0, price: 100_000, fill: 100_050 },
  { at: T0 + 10 * MIN, sid: 's2', price: 100_500, fill: 100_500 },
  { at: T0 + 20 * MIN + 3_000, side: 'SELL', price: 101_200, fill: 101_150 },
];

describe('compareJournals', () => {
  it('reads each order with its fills at market time', async () => {
    const o = await journalOrders(records('paper', A));
    expect(o.runs).toBe(0);
    // Fills 4 at 100 040 and 6 at 100 055: (400 160 + 600 330) / 10 = 100 049.
    expect(o.orders[0]).toMatchObject({ ts: T0, filledQuantity: 10, fillPrice: 100_049, fees: 20 });
  });

  it('lines up two journals on disk, across brokers', async () => {
    const a = await write(records('paper', A));
    const b = await write(records('zerodha', B));
    const settings = loadSettings({});
    const [ta, tb] = [
      await openJournalToRead(settings, a, 'compare'),
      await openJournalToRead(settings, b, 'compare'),
    ];
    try {
      const c = await compareJournals(ta, tb);
      expect(c.a).toEqual({ runs: 0, orders: 3 });
      expect(c.b).toEqual({ runs: 0, orders: 3 });
      expect([c.matched, c.unchanged]).toEqual([2, 1]);
      expect(c.removed.map((o) => [o.broker, o.token, o.side])).toEqual([
        ['paper', 2953217, 'SELL'],
      ]);
      expect(c.added.map((o) => [o.broker, o.strategyId])).toEqual([['zerodha', 's2']]);
      expect(c.changed).toHaveLength(1);
      const ch = c.changed[0]!;
      expect([ch.a.broker, ch.b.broker]).toEqual(['paper', 'zerodha']);
      // 101 200 − 101 000; averages (4 × 101 140 + 6 × 101 155)/10 = 101 149 and 100 949.
      expect([ch.priceDiff, ch.timeDiffMs, ch.quantityDiff, ch.fillPriceDiff]).toEqual([
        200, 3_000, 0, 200,
      ]);
    } finally {
      await ta.close();
      await tb.close();
    }
  });
});
