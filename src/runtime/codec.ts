/**
 * Journal batch codec, format v3: one stored value per flushed batch.
 *
 *   header   "AP" 0x03 0x00 | u32 crc | f64 firstSeq | u32 count      (batch-header.ts)
 *   record   u8 kind, then
 *     kind 1 (tick)   f64 recordTs | u32 batch | u32 token | f64 ts | i32 lastPrice
 *                     | i32 lastQuantity | i32 averagePrice | f64 volume | f64 buyQuantity
 *                     | f64 sellQuantity | i32 open | i32 high | i32 low | i32 close | f64 oi
 *                     | u8 bids | u8 asks | (i32 price | i32 quantity | i32 orders) × levels
 *     kind 2 (other)  u32 length | msgpack of
 *                     [ts, type, topic, source, target, correlationSeq, causationSeq, broker, key, data, batch?]
 *
 * A tick record's envelope fields follow from its topic (market.ticks, source feed, broker
 * shared, key = token, correlation = itself), so only its data is stored, in a fixed binary
 * layout: the journal's hot path writes numbers, not objects. A tick whose values do not fit the
 * layout (never from our feeds: prices are integer paise) is stored as kind 2.
 */
import { Packr } from 'msgpackr';
import {
  HEADER,
  KIND_OTHER,
  KIND_TICK,
  headerProblem,
  nonceBytes,
  sealBatch,
} from './batch-header.js';
import { JournalError } from './errors.js';
import {
  MARKET_TICKS,
  type BrokerScope,
  type DepthLevel,
  type JournalRecord,
  type MarketTick,
} from '../model/index.js';

const packr = new Packr({ useRecords: false, moreTypes: false });

type OtherItem = [
  number,
  string,
  string,
  string,
  string | null,
  number,
  number,
  BrokerScope,
  string,
  unknown,
  number?,
];

/** True for an integer that fits int32 (`v | 0` truncates to int32, so it equals v only then). */
const fitsI32 = (v: number) => (v | 0) === v;
const fitsF64Int = (v: number) => Number.isSafeInteger(v);

function levelsFit(levels: readonly DepthLevel[]): boolean {
  if (levels.length > 255) return false;
  for (let i = 0; i < levels.length; i++) {
    const l = levels[i]!;
    if (!fitsI32(l.price) || !fitsI32(l.quantity) || !fitsI32(l.orders)) return false;
  }
  return true;
}

function tickFits(t: MarketTick): boolean {
  const token = t.token;
  return (
    token >>> 0 === token &&
    fitsI32(t.lastPrice) &&
    fitsI32(t.lastQuantity) &&
    fitsI32(t.averagePrice) &&
    fitsI32(t.open) &&
    fitsI32(t.high) &&
    fitsI32(t.low) &&
    fitsI32(t.close) &&
    fitsF64Int(t.ts) &&
    fitsF64Int(t.volume) &&
    fitsF64Int(t.buyQuantity) &&
    fitsF64Int(t.sellQuantity) &&
    fitsF64Int(t.oi) &&
    levelsFit(t.bids) &&
    levelsFit(t.asks)
  );
}

/** Writes depth levels as (i32 price, i32 quantity, i32 orders) from `p`; returns the next offset. */
function writeLevels(v: DataView, p: number, levels: readonly DepthLevel[]): number {
  for (let i = 0; i < levels.length; i++) {
    const l = levels[i]!;
    v.setInt32(p, l.price, true);
    v.setInt32(p + 4, l.quantity, true);
    v.setInt32(p + 8, l.orders, true);
    p += 12;
  }
  return p;
}

/**
 * Builds one batch value record by record; `finish` returns the bytes and starts over. Batches
 * are sealed with the checksum of the journal whose `nonce` is given.
 */
export class BatchWriter {
  private buf: Buffer;
  private view: DataView;
  private pos = HEADER;
  private first = 0;
  private n = 0;
  private readonly topicSet = new Set<string>();
  /** Whether the batch holds a tick record (kept apart from topicSet: ticks are the hot path). */
  private ticks = false;
  private readonly nonce: Uint8Array;

  constructor(nonce: number, initialBytes = 1 << 18) {
    this.nonce = nonceBytes(nonce);
    this.buf = Buffer.allocUnsafe(initialBytes);
    this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
  }

  /** Records written since the last `finish`. */
  get count(): number {
    return this.n;
  }

  get firstSeq(): number {
    return this.first;
  }

  get lastSeq(): number {
    return this.first + this.n - 1;
  }

  topics(): string[] {
    const out = [...this.topicSet];
    if (this.ticks && !this.topicSet.has(MARKET_TICKS)) out.push(MARKET_TICKS);
    return out;
  }

  private ensure(extra: number): void {
    if (this.pos + extra <= this.buf.byteLength) return;
    let size = this.buf.byteLength * 2;
    while (size < this.pos + extra) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
    this.view = new DataView(next.buffer, next.byteOffset, next.byteLength);
  }

  private next(seq: number): void {
    if (this.n === 0) this.first = seq;
    else if (seq !== this.first + this.n) {
      throw new Error(`batch is not contiguous at seq ${seq} (expected ${this.first + this.n})`);
    }
    this.n++;
  }

  /** Appends a tick record (`batch`: the delivery batch size on its first tick, else 0). */
  addTick(seq: number, recordTs: number, t: MarketTick, batch: number): void {
    if (!tickFits(t)) {
      this.addOther(seq, [
        recordTs,
        'MarketTick',
        MARKET_TICKS,
        'feed',
        null,
        seq,
        0,
        'shared',
        String(t.token),
        t,
        batch,
      ]);
      return;
    }
    this.next(seq);
    this.ticks = true;
    const levels = t.bids.length + t.asks.length;
    this.ensure(1 + 8 + 4 + 4 + 8 + 12 + 24 + 16 + 8 + 2 + levels * 12);
    const v = this.view;
    let p = this.pos;
    v.setUint8(p, KIND_TICK);
    v.setFloat64(p + 1, recordTs, true);
    v.setUint32(p + 9, batch, true);
    v.setUint32(p + 13, t.token, true);
    v.setFloat64(p + 17, t.ts, true);
    v.setInt32(p + 25, t.lastPrice, true);
    v.setInt32(p + 29, t.lastQuantity, true);
    v.setInt32(p + 33, t.averagePrice, true);
    v.setFloat64(p + 37, t.volume, true);
    v.setFloat64(p + 45, t.buyQuantity, true);
    v.setFloat64(p + 53, t.sellQuantity, true);
    v.setInt32(p + 61, t.open, true);
    v.setInt32(p + 65, t.high, true);
    v.setInt32(p + 69, t.low, true);
    v.setInt32(p + 73, t.close, true);
    v.setFloat64(p + 77, t.oi, true);
    v.setUint8(p + 85, t.bids.length);
    v.setUint8(p + 86, t.asks.length);
    p += 87;
    p = writeLevels(v, p, t.bids);
    this.pos = writeLevels(v, p, t.asks);
  }

  /** Appends any record (ticks go through `addTick`). */
  addRecord(r: JournalRecord): void {
    if (r.topic === MARKET_TICKS && r.type === 'MarketTick') {
      this.addTick(r.seq, r.ts, r.data as MarketTick, r.batch ?? 0);
      return;
    }
    const item: OtherItem = [
      r.ts,
      r.type,
      r.topic,
      r.source,
      r.target,
      r.correlationSeq,
      r.causationSeq,
      r.broker,
      r.key,
      r.data,
    ];
    if (r.batch !== undefined) item.push(r.batch);
    this.addOther(r.seq, item);
  }

  private addOther(seq: number, item: OtherItem): void {
    this.next(seq);
    this.topicSet.add(item[2]);
    const bytes = packr.pack(item);
    this.ensure(5 + bytes.byteLength);
    this.view.setUint8(this.pos, KIND_OTHER);
    this.view.setUint32(this.pos + 1, bytes.byteLength, true);
    bytes.copy(this.buf, this.pos + 5);
    this.pos += 5 + bytes.byteLength;
  }

  /** Returns the batch's bytes (a copy, sealed) and resets the writer. */
  finish(): Uint8Array {
    const out = Buffer.allocUnsafe(this.pos);
    this.buf.copy(out, HEADER, HEADER, this.pos);
    sealBatch(out, this.nonce, this.first, this.n);
    this.pos = HEADER;
    this.n = 0;
    this.ticks = false;
    if (this.topicSet.size > 0) this.topicSet.clear();
    return out;
  }
}

/** Encodes a contiguous run of records (record i must have seq first + i) for the journal of `nonce`. */
export function encodeBatch(records: readonly JournalRecord[], nonce: number): Uint8Array {
  const w = new BatchWriter(nonce, 1 << 12);
  for (const r of records) w.addRecord(r);
  return w.finish();
}

/** The journal record of a tick: its envelope fields follow from the topic (`batch` > 0 only on a batch's first tick). */
export function tickRecord(
  seq: number,
  ts: number,
  tick: MarketTick,
  batch: number,
): JournalRecord {
  const rec: JournalRecord = {
    seq,
    ts,
    type: 'MarketTick',
    topic: MARKET_TICKS,
    source: 'feed',
    target: null,
    correlationSeq: seq,
    causationSeq: 0,
    broker: 'shared',
    key: String(tick.token),
    data: tick,
  };
  return batch > 0 ? { ...rec, batch } : rec;
}

/**
 * Decodes a stored batch of the journal of `nonce` into records. Throws a JournalError
 * (JOURNAL_BATCH_INVALID) naming the problem when the batch is not intact: wrong format,
 * checksum mismatch (a changed byte, or another journal's batch), or records that do not fit.
 */
export function decodeBatch(bytes: Uint8Array, nonce: number | Uint8Array): JournalRecord[] {
  const problem = headerProblem(bytes, typeof nonce === 'number' ? nonceBytes(nonce) : nonce);
  if (problem !== null) throw invalid(problem);
  try {
    return decodeRecords(bytes);
  } catch (err) {
    // Only an encoder fault gets here: the checksum held.
    throw err instanceof JournalError ? err : invalid(String(err), err);
  }
}

function invalid(problem: string, cause?: unknown): JournalError {
  return new JournalError('JOURNAL_BATCH_INVALID', `journal batch is not intact: ${problem}`, {
    cause,
  });
}

function decodeRecords(bytes: Uint8Array): JournalRecord[] {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const first = v.getFloat64(8, true);
  const n = v.getUint32(16, true);
  const out = new Array<JournalRecord>(n);
  let p = HEADER;
  for (let i = 0; i < n; i++) {
    const seq = first + i;
    const kind = v.getUint8(p);
    if (kind === KIND_TICK) {
      const recordTs = v.getFloat64(p + 1, true);
      const batch = v.getUint32(p + 9, true);
      const nb = v.getUint8(p + 85);
      const na = v.getUint8(p + 86);
      let q = p + 87;
      const level = (): DepthLevel => {
        const l = {
          price: v.getInt32(q, true),
          quantity: v.getInt32(q + 4, true),
          orders: v.getInt32(q + 8, true),
        } as DepthLevel;
        q += 12;
        return l;
      };
      const bids: DepthLevel[] = [];
      for (let k = 0; k < nb; k++) bids.push(level());
      const asks: DepthLevel[] = [];
      for (let k = 0; k < na; k++) asks.push(level());
      const tick = {
        token: v.getUint32(p + 13, true),
        ts: v.getFloat64(p + 17, true),
        lastPrice: v.getInt32(p + 25, true),
        lastQuantity: v.getInt32(p + 29, true),
        averagePrice: v.getInt32(p + 33, true),
        volume: v.getFloat64(p + 37, true),
        buyQuantity: v.getFloat64(p + 45, true),
        sellQuantity: v.getFloat64(p + 53, true),
        open: v.getInt32(p + 61, true),
        high: v.getInt32(p + 65, true),
        low: v.getInt32(p + 69, true),
        close: v.getInt32(p + 73, true),
        oi: v.getFloat64(p + 77, true),
        bids,
        asks,
      } as unknown as MarketTick;
      out[i] = tickRecord(seq, recordTs, tick, batch);
      p = q;
    } else if (kind === KIND_OTHER) {
      const len = v.getUint32(p + 1, true);
      const it = packr.unpack(bytes.subarray(p + 5, p + 5 + len)) as OtherItem;
      p += 5 + len;
      if (it[1] === 'MarketTick' && it[2] === MARKET_TICKS) {
        out[i] = tickRecord(seq, it[0], it[9] as MarketTick, it[10] ?? 0);
        continue;
      }
      const rec: JournalRecord = {
        seq,
        ts: it[0],
        type: it[1],
        topic: it[2],
        source: it[3],
        target: it[4],
        correlationSeq: it[5],
        causationSeq: it[6],
        broker: it[7],
        key: it[8],
        data: it[9],
      };
      out[i] = it[10] !== undefined ? { ...rec, batch: it[10] } : rec;
    } else {
      throw invalid(`record ${i} has kind ${kind}`);
    }
  }
  if (p !== bytes.byteLength)
    throw invalid(`its ${n} records end at byte ${p} of ${bytes.byteLength}`);
  return out;
}
