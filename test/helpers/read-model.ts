/**
 * Test helpers for the Redis read model: a journal that exercises every pipeline stage on both
 * brokers, feeding it the way the switchboard's taps do, and a dump of a Redis database.
 */
import type { Redis } from 'ioredis';
import {
  clientOrderIdOf,
  paise,
  quantity,
  strategyId,
  type JournalRecord,
  type MarketTick,
  type OrderRejected,
  type PortfolioSnapshot,
  type SignalRejected,
  type TradingSignal,
} from '../../src/model/index.js';
import { derivedRecord, journalRecords, tickRecords } from './journal-records.js';
import { makeTick } from './ticks.js';

const RELIANCE = 738561;
const TCS = 2953217;
const INFY = 408065;

/** The URL of the loopback Redis with its database index replaced by `db`. */
export function redisDbUrl(base: string, db: number): string {
  return base.replace(/\/\d*$/, '') + `/${db}`;
}

/**
 * 42 records of pipelineRound (paper: signals, validations, orders, fills, snapshots, ticks),
 * then a paper rejection, a zerodha portfolio holding TCS and INFY, a zerodha signal and failed
 * order, and tick batches that move TCS and INFY afterwards. Seqs are contiguous from 1.
 */
export function readModelJournal(): JournalRecord[] {
  const out = journalRecords(42);
  let seq = out.length + 1;
  const push = (r: JournalRecord | JournalRecord[]) => {
    for (const x of Array.isArray(r) ? r : [r]) {
      out.push(x);
      seq = x.seq + 1;
    }
  };
  const sid = strategyId('a_momentum');
  const signal = (broker: 'paper' | 'zerodha', token: number): TradingSignal => ({
    type: 'TradingSignal',
    broker,
    strategyId: sid,
    token,
    side: 'BUY',
    quantity: quantity(5),
    price: paise(320_000),
    confidence: 0.81,
    reasoning: 'momentum 1.4% over 20 ticks',
    tickSeq: 1,
  });
  push(derivedRecord(seq, signal('paper', TCS), `strategy:${sid}`, 1, 1));
  const rejected: SignalRejected = {
    type: 'SignalRejected',
    broker: 'paper',
    signal: signal('paper', TCS),
    code: 'INSUFFICIENT_CASH',
    detail: 'needs ₹16,000.00, has ₹0.00',
    checks: [{ check: 'cash', passed: false, code: 'INSUFFICIENT_CASH' }],
  };
  push(derivedRecord(seq, rejected, 'risk-gate:paper', 1, seq - 1));
  const snap: PortfolioSnapshot = {
    type: 'PortfolioSnapshot',
    broker: 'zerodha',
    strategyId: sid,
    cash: paise(100_000_000 - 1_600_000 - 750_000 - 2_410),
    fees: paise(2_410),
    realizedPnl: paise(-2_410),
    unrealizedPnl: paise(0),
    positions: [
      {
        token: TCS,
        quantity: 5,
        averagePrice: paise(320_000),
        costBasis: paise(1_600_000),
        lastPrice: paise(320_000),
        realizedPnl: paise(0),
        unrealizedPnl: paise(0),
      },
      {
        token: INFY,
        quantity: 5,
        averagePrice: paise(150_000),
        costBasis: paise(750_000),
        lastPrice: paise(150_000),
        realizedPnl: paise(0),
        unrealizedPnl: paise(0),
      },
    ],
    fills: 2,
    dayPnl: paise(0),
  };
  push(derivedRecord(seq, snap, `portfolio:zerodha:${sid}`, 1, seq - 1));
  push(tickRecords(seq, [makeTick(TCS, 321_500), makeTick(INFY, 149_000)]));
  push(derivedRecord(seq, signal('zerodha', INFY), `strategy:${sid}`, seq - 2, seq - 2));
  const failed: OrderRejected = {
    type: 'OrderRejected',
    broker: 'zerodha',
    clientOrderId: clientOrderIdOf('zerodha', { nonce: 1, epoch: 0 }, seq),
    strategyId: sid,
    token: INFY,
    side: 'BUY',
    quantity: quantity(5),
    code: 'BROKER_ERROR',
    detail: 'Kite answered 503',
  };
  push(derivedRecord(seq, failed, 'trader:zerodha', seq - 3, seq - 1));
  push(tickRecords(seq, [makeTick(INFY, 151_250), makeTick(RELIANCE, 140_100)]));
  push(tickRecords(seq, [makeTick(TCS, 318_000)]));
  return out;
}

/**
 * Feeds records to a consumer the way the live switchboard does: ticks a delivery batch at a
 * time through applyTicks (with the batch's first seq), everything else through apply.
 */
export function feedLive(
  to: {
    apply(r: JournalRecord): void;
    applyTicks(ticks: readonly MarketTick[], firstSeq: number): void;
  },
  records: readonly JournalRecord[],
): void {
  for (let i = 0; i < records.length;) {
    const r = records[i]!;
    if (r.type !== 'MarketTick') {
      to.apply(r);
      i++;
      continue;
    }
    const n = r.batch ?? 1;
    const batch = records.slice(i, i + n);
    to.applyTicks(
      batch.map((x) => x.data as MarketTick),
      r.seq,
    );
    i += n;
  }
}

/** The records as the journal reads them back: an async iterable. */
export async function* replay(records: readonly JournalRecord[]): AsyncIterable<JournalRecord> {
  for (const r of records) yield r;
}

/** Every key of the selected database with its value (sets as sorted member lists), by key. */
export async function dumpRedis(redis: Redis): Promise<Record<string, string | string[]>> {
  const keys = (await redis.keys('*')).sort();
  const out: Record<string, string | string[]> = {};
  for (const k of keys) {
    const type = await redis.type(k);
    if (type === 'string') out[k] = (await redis.get(k))!;
    else if (type === 'set') out[k] = (await redis.smembers(k)).sort();
    else
      throw new Error(`dumpRedis: key ${k} is a ${type}; the read model writes strings and sets`);
  }
  return out;
}
