/**
 * Synthetic journal batches shaped like the reference workload's: 20 instruments' ticks with
 * 5-level depth, interleaved, 100 ms apart per instrument, encoded by the journal's codec in
 * bridge batches. The Kafka benchmarks write these without running the actors, so the figures
 * are the journal's alone.
 */
import { encodeBatch, tickRecord } from '../../src/runtime/codec.js';
import type { EncodedBatch } from '../../src/runtime/transport.js';
import type { DepthLevel, JournalRecord, MarketTick } from '../../src/model/index.js';
import { MARKET_TICKS } from '../../src/model/index.js';

/** A deterministic 32-bit generator (mulberry32). */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

const TOKENS = [
  256265, 260105, 738561, 2953217, 341249, 1270529, 408065, 3861249, 1510401, 492033, 779521,
  2714625, 1850625, 4267265, 857857, 2939649, 225537, 884737, 895745, 897537,
];

/**
 * `records` journal records from seq `firstSeq`, cut into batches of `batchRecords` and encoded
 * for the journal of `nonce`, as the bridge hands them to a transport.
 */
export function syntheticBatches(
  nonce: number,
  records: number,
  batchRecords = 1000,
  firstSeq = 1,
): EncodedBatch[] {
  const next = generator(7);
  const mids = TOKENS.map((_, i) => 100_000 + i * 5_000);
  const volumes = TOKENS.map(() => 0);
  const startMs = Date.UTC(2026, 0, 5, 3, 45);
  const out: EncodedBatch[] = [];
  let batch: JournalRecord[] = [];
  for (let i = 0; i < records; i++) {
    const seq = firstSeq + i;
    const k = i % TOKENS.length;
    const step = (next() % 3) - 1;
    mids[k] = Math.max(100, mids[k]! + step * 5);
    const spread = 5 * (1 + (next() % 3));
    const bid = mids[k]! - spread;
    const ask = mids[k]! + spread;
    const qty = 100 + (next() % 901);
    volumes[k]! += qty;
    const level = (price: number): DepthLevel => ({
      price: price as DepthLevel['price'],
      quantity: 1 + (next() % 5000),
      orders: 1 + (next() % 20),
    });
    const tick: MarketTick = {
      token: TOKENS[k]! as MarketTick['token'],
      ts: startMs + Math.floor(i / TOKENS.length) * 100,
      lastPrice: (next() % 2 === 0 ? bid : ask) as MarketTick['lastPrice'],
      lastQuantity: qty,
      averagePrice: mids[k]! as MarketTick['averagePrice'],
      volume: volumes[k]!,
      buyQuantity: 50_000 + (next() % 10_000),
      sellQuantity: 50_000 + (next() % 10_000),
      open: 100_000 as MarketTick['open'],
      high: (mids[k]! + 500) as MarketTick['high'],
      low: (mids[k]! - 500) as MarketTick['low'],
      close: 100_000 as MarketTick['close'],
      oi: 0,
      bids: [0, 1, 2, 3, 4].map((j) => level(bid - j * 5)),
      asks: [0, 1, 2, 3, 4].map((j) => level(ask + j * 5)),
    };
    const deliveryBatch = i % 100 === 0 ? Math.min(100, records - i) : 0;
    batch.push(tickRecord(seq, tick.ts, tick, deliveryBatch));
    if (batch.length === batchRecords || i === records - 1) {
      out.push({
        firstSeq: batch[0]!.seq,
        lastSeq: batch[batch.length - 1]!.seq,
        topics: [MARKET_TICKS],
        bytes: encodeBatch(batch, nonce),
      });
      batch = [];
    }
  }
  return out;
}
