/**
 * Test builders for journal records and encoded batches: the record shapes the switchboard
 * writes (ticks with their batch marker, derived messages routed by the real route table).
 */
import {
  type ActorOutput,
  clientOrderIdOf,
  paise,
  quantity,
  strategyId,
  type JournalRecord,
  type MarketTick,
  type OrderFilled,
  type PnlSnapshot,
  type PortfolioSnapshot,
  type SetTradingState,
  type SignalValidated,
  type SubmitOrder,
  type TradingSignal,
  type TradingStateChanged,
} from '../../src/model/index.js';
import { encodeBatch, tickRecord } from '../../src/runtime/codec.js';
import { routeOf } from '../../src/runtime/routes.js';
import type { EncodedBatch } from '../../src/runtime/transport.js';
import { makeTick } from './ticks.js';

const T0 = 1_767_584_700_000;
const TOKENS = [738561, 2953217, 408065] as const;
const SID = strategyId('ema_cross_reliance');

/** The tick records of one delivery batch, as the switchboard journals them (batch size on the first). */
export function tickRecords(
  firstSeq: number,
  ticks: readonly MarketTick[],
  ts = T0,
): JournalRecord[] {
  return ticks.map((tick, i) => tickRecord(firstSeq + i, ts, tick, i === 0 ? ticks.length : 0));
}

/** A derived record of `msg`, routed (topic, key, broker) by the real route table. */
export function derivedRecord(
  seq: number,
  msg: ActorOutput,
  source: string,
  correlationSeq: number,
  causationSeq: number,
  ts = T0,
): JournalRecord {
  const r = routeOf(msg);
  return {
    seq,
    ts,
    type: msg.type,
    topic: r.topic,
    source,
    target: null,
    correlationSeq,
    causationSeq,
    broker: r.broker,
    key: r.key,
    data: msg,
  };
}

/**
 * One round of the pipeline starting at `seq`: a batch of 3 ticks, then signal, validation,
 * order, fill, portfolio and pnl snapshots, an operator command (an input with a target) and
 * the state change it caused, then a batch of 1 tick. 14 records; contents vary with `seq`.
 */
export function pipelineRound(seq: number): JournalRecord[] {
  const out: JournalRecord[] = [];
  const ts = T0 + seq * 10;
  const price = 140_000 + (seq % 97) * 5;
  out.push(
    ...tickRecords(
      seq,
      TOKENS.map((t, i) => makeTick(t, price + i * 5, { ts })),
      ts,
    ),
  );
  const tickSeq = seq;
  const signal: TradingSignal = {
    type: 'TradingSignal',
    broker: 'paper',
    strategyId: SID,
    token: TOKENS[0],
    side: seq % 2 === 0 ? 'BUY' : 'SELL',
    quantity: quantity(10),
    price: paise(price),
    confidence: 0.73,
    reasoning: 'EMA3 crossed above EMA8 on 5-tick bars',
    tickSeq,
  };
  const s = seq + 3;
  out.push(derivedRecord(s, signal, `strategy:${SID}`, tickSeq, tickSeq, ts));
  const validated: SignalValidated = {
    type: 'SignalValidated',
    broker: 'paper',
    signal,
    checks: [{ check: 'quantity', passed: true }],
    order: { orderType: 'MARKET', validity: 'DAY', product: 'CNC', slices: [signal.quantity] },
  };
  out.push(derivedRecord(s + 1, validated, 'risk-gate:paper', tickSeq, s, ts));
  const id = clientOrderIdOf('paper', { nonce: 1, epoch: 0 }, seq);
  const order: SubmitOrder = {
    type: 'SubmitOrder',
    broker: 'paper',
    clientOrderId: id,
    strategyId: SID,
    token: signal.token,
    side: signal.side,
    quantity: signal.quantity,
    orderType: 'MARKET',
    validity: 'DAY',
    product: 'CNC',
    price: signal.price,
  };
  out.push(derivedRecord(s + 2, order, 'trader:paper', tickSeq, s + 1, ts));
  const fill: OrderFilled = {
    type: 'OrderFilled',
    broker: 'paper',
    clientOrderId: id,
    strategyId: SID,
    token: signal.token,
    side: signal.side,
    quantity: signal.quantity,
    price: paise(price + 5),
    fees: paise(141),
    slippage: paise(5),
    tickSeq,
    product: 'CNC',
  };
  out.push(derivedRecord(s + 3, fill, 'trader:paper', tickSeq, s + 2, ts));
  const snap: PortfolioSnapshot = {
    type: 'PortfolioSnapshot',
    broker: 'paper',
    strategyId: SID,
    cash: paise(100_000_000 - 10 * price),
    fees: paise(141),
    realizedPnl: paise(-141),
    unrealizedPnl: paise(-50),
    positions: [
      {
        token: signal.token,
        quantity: 10,
        averagePrice: paise(price + 5),
        costBasis: paise(10 * (price + 5)),
        lastPrice: paise(price),
        realizedPnl: paise(0),
        unrealizedPnl: paise(-50),
      },
    ],
    fills: 1,
    dayPnl: paise(-191),
  };
  out.push(derivedRecord(s + 4, snap, `portfolio:paper:${SID}`, tickSeq, s + 3, ts));
  const pnl: PnlSnapshot = {
    type: 'PnlSnapshot',
    broker: 'paper',
    strategyId: SID,
    realizedPnl: paise(-141),
    unrealizedPnl: paise(-50),
    totalPnl: paise(-191),
    dayPnl: paise(-191),
  };
  out.push(derivedRecord(s + 5, pnl, `portfolio:paper:${SID}`, tickSeq, s + 3, ts));
  const cmdSeq = s + 6;
  const cmd: SetTradingState = {
    type: 'SetTradingState',
    broker: 'paper',
    state: 'REDUCING',
    reason: 'operator',
  };
  out.push({
    ...derivedRecord(cmdSeq, cmd, 'api', cmdSeq, 0, ts),
    target: 'risk-gate:paper',
  });
  const changed: TradingStateChanged = {
    type: 'TradingStateChanged',
    broker: 'paper',
    from: 'ACTIVE',
    to: 'REDUCING',
    reason: 'operator',
  };
  out.push(derivedRecord(cmdSeq + 1, changed, 'risk-gate:paper', cmdSeq, cmdSeq, ts));
  out.push(...tickRecords(cmdSeq + 2, [makeTick(TOKENS[1], price - 5, { ts: ts + 1 })], ts + 1));
  return out;
}

/** Records of a realistic journal with seqs `firstSeq` .. `firstSeq + n - 1` (rounds cut at n). */
export function journalRecords(n: number, firstSeq = 1): JournalRecord[] {
  const out: JournalRecord[] = [];
  while (out.length < n) out.push(...pipelineRound(firstSeq + out.length));
  return out.slice(0, n);
}

/** Encodes a contiguous run of records the way the bridge does, for the journal of `nonce`. */
export function encodedBatch(records: readonly JournalRecord[], nonce: number): EncodedBatch {
  const first = records[0];
  const last = records[records.length - 1];
  if (!first || !last) throw new Error('a batch needs at least one record');
  return {
    firstSeq: first.seq,
    lastSeq: last.seq,
    topics: [...new Set(records.map((r) => r.topic))],
    bytes: encodeBatch(records, nonce),
  };
}

/** Splits records into consecutive batches of the given sizes (the last takes the rest). */
export function batchesOf(
  records: readonly JournalRecord[],
  sizes: readonly number[],
  nonce: number,
): EncodedBatch[] {
  const out: EncodedBatch[] = [];
  let i = 0;
  for (const n of sizes) {
    if (i >= records.length) break;
    out.push(encodedBatch(records.slice(i, i + n), nonce));
    i += n;
  }
  if (i < records.length) out.push(encodedBatch(records.slice(i), nonce));
  return out;
}
