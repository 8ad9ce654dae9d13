/**
 * Journal batch codec: one stored value per flushed batch (msgpack). A tick record is stored as
 * `[ts, tick, batch]` (its envelope fields follow from its topic); any other record as
 * `[ts, type, topic, source, target, correlationSeq, causationSeq, broker, key, data]`.
 * Decoding gives back the same JournalRecord objects, seq included.
 */
import { Packr } from 'msgpackr';
import {
  MARKET_TICKS,
  type BrokerScope,
  type JournalRecord,
  type MarketTick,
} from '../model/index.js';

const packr = new Packr({ useRecords: true, moreTypes: false, bundleStrings: false });

type TickItem = [number, MarketTick, number];
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
];

interface StoredBatch {
  /** Format version of this codec. */
  v: 1;
  f: number;
  i: Array<TickItem | OtherItem>;
}

/** Encodes a contiguous run of records (record i must have seq first + i). */
export function encodeBatch(records: readonly JournalRecord[]): Uint8Array {
  const first = records[0]?.seq ?? 0;
  const items = new Array<TickItem | OtherItem>(records.length);
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    if (r.seq !== first + i)
      throw new Error(`batch is not contiguous at seq ${r.seq} (expected ${first + i})`);
    items[i] =
      r.topic === MARKET_TICKS && r.type === 'MarketTick'
        ? [r.ts, r.data as MarketTick, r.batch ?? 0]
        : [
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
  }
  const stored: StoredBatch = { v: 1, f: first, i: items };
  return packr.pack(stored);
}

/** The format version of an unpacked value; a batch packed without records unpacks as a Map. */
function formatOf(b: unknown): string {
  const v =
    b instanceof Map
      ? b.get('v')
      : typeof b === 'object' && b !== null
        ? (b as { v?: unknown }).v
        : undefined;
  if (v === undefined) return 'unknown (the value has no "v" field)';
  return b instanceof Map ? `v${String(v)} packed without msgpack records` : `v${String(v)}`;
}

/** Decodes a stored batch into records. Throws on an unknown format version. */
export function decodeBatch(bytes: Uint8Array): JournalRecord[] {
  const raw: unknown = packr.unpack(bytes);
  if (raw instanceof Map || (raw as Partial<StoredBatch> | null)?.v !== 1)
    throw new Error(
      `journal batch format ${formatOf(raw)} is not supported by this build (expects v1)`,
    );
  const b = raw as StoredBatch;
  const out = new Array<JournalRecord>(b.i.length);
  for (let i = 0; i < b.i.length; i++) {
    const it = b.i[i]!;
    const seq = b.f + i;
    if (it.length === 3) {
      const tick = it[1];
      const rec: JournalRecord = {
        seq,
        ts: it[0],
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
      out[i] = it[2] > 0 ? { ...rec, batch: it[2] } : rec;
    } else {
      out[i] = {
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
    }
  }
  return out;
}
