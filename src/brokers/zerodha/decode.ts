/**
 * Kite Connect's ticker wire format, and our decoder for it (we never load kiteconnect's
 * KiteTicker: see STACK-NOTES). Everything is big-endian.
 *
 * A WebSocket binary message is either a 1-byte heartbeat (the server sends one every second), or
 * a frame: `u16 count`, then `count` times `u16 length` + a packet of that length. A packet's
 * length says its mode:
 *
 * | length | mode  | fields (byte offset: int32 unless said)                                        |
 * |--------|-------|--------------------------------------------------------------------------------|
 * | 8      | ltp   | 0 instrument token, 4 last price                                                |
 * | 28     | quote | an index: 0 token, 4 last price, 8 high, 12 low, 16 open, 20 close, 24 change   |
 * | 32     | full  | an index: as 28, then 28 exchange timestamp (epoch s)                           |
 * | 44     | quote | 0 token, 4 last price, 8 last quantity, 12 average price, 16 volume,            |
 * |        |       | 20 total buy quantity, 24 total sell quantity, 28 open, 32 high, 36 low, 40 close |
 * | 184    | full  | as 44, then 44 last trade time (epoch s), 48 OI, 52 OI day high, 56 OI day low, |
 * |        |       | 60 exchange timestamp (epoch s), 64 depth: 10 entries of 12 bytes (int32       |
 * |        |       | quantity, int32 price, int16 orders, 2 bytes padding), 5 bids then 5 asks        |
 *
 * Prices are integers in the segment's unit: paise (÷ 100 for rupees) for every segment but
 * currency derivatives (NSE CDS, segment 3: ÷ 10^7; BSE CDS, segment 6: ÷ 10^4). The segment is
 * the token's low byte; segment 9 is indices, which cannot be traded. Text messages are JSON, such
 * as order updates `{"type":"order","data":{...}}`; they are not decoded here.
 */

import { paise, type DepthLevel, type MarketTick } from '../../model/index.js';

/** A decoded packet, prices in the segment's unit (paise for equities), times in epoch ms. */
export interface KitePacket {
  readonly mode: 'ltp' | 'quote' | 'full';
  readonly token: number;
  /** The token's low byte: 1 NSE, 3 NSE CDS, 4 BSE, 6 BSE CDS, 9 indices, ... */
  readonly segment: number;
  /** What a price is divided by to give rupees (100 for paise). */
  readonly divisor: number;
  readonly tradable: boolean;
  readonly lastPrice: number;
  readonly lastQuantity?: number;
  readonly averagePrice?: number;
  readonly volume?: number;
  readonly buyQuantity?: number;
  readonly sellQuantity?: number;
  readonly ohlc?: {
    readonly open: number;
    readonly high: number;
    readonly low: number;
    readonly close: number;
  };
  /** Last price less the previous close (an index packet carries its own). */
  readonly change?: number;
  readonly lastTradeTime?: number;
  readonly oi?: number;
  readonly oiDayHigh?: number;
  readonly oiDayLow?: number;
  readonly exchangeTimestamp?: number;
  readonly depth?: {
    readonly buy: readonly KiteDepthLevel[];
    readonly sell: readonly KiteDepthLevel[];
  };
}

export interface KiteDepthLevel {
  readonly price: number;
  readonly quantity: number;
  readonly orders: number;
}

export type KiteMessage =
  { readonly kind: 'heartbeat' } | { readonly kind: 'ticks'; readonly packets: KitePacket[] };

/** A message or packet that does not follow the wire format: says where and what. */
export class KiteDecodeError extends Error {
  override readonly name = 'KiteDecodeError';
}

const SEGMENT_INDICES = 9;
const DIVISORS: Readonly<Record<number, number>> = { 3: 10_000_000, 6: 10_000 };

/** Decodes one binary WebSocket message: a heartbeat or a frame of packets. */
export function decodeMessage(bytes: Uint8Array): KiteMessage {
  if (bytes.byteLength === 1) return { kind: 'heartbeat' };
  const v = view(bytes);
  if (bytes.byteLength < 2)
    throw new KiteDecodeError(
      `a ${bytes.byteLength}-byte message is neither a heartbeat nor a frame`,
    );
  const count = v.getUint16(0);
  const packets: KitePacket[] = [];
  let at = 2;
  for (let i = 0; i < count; i++) {
    if (at + 2 > bytes.byteLength)
      throw new KiteDecodeError(
        `frame of ${bytes.byteLength} bytes announces ${count} packets but ends before packet ${i + 1}'s length`,
      );
    const length = v.getUint16(at);
    at += 2;
    if (at + length > bytes.byteLength)
      throw new KiteDecodeError(
        `packet ${i + 1} of ${count} is ${length} bytes but only ${bytes.byteLength - at} remain in the frame`,
      );
    packets.push(decodePacket(bytes.subarray(at, at + length)));
    at += length;
  }
  if (at !== bytes.byteLength)
    throw new KiteDecodeError(
      `frame of ${count} packets ends at byte ${at} but the message has ${bytes.byteLength}`,
    );
  return { kind: 'ticks', packets };
}

/** Decodes one packet (without the frame's count and length). */
export function decodePacket(p: Uint8Array): KitePacket {
  const v = view(p);
  const n = p.byteLength;
  if (![8, 28, 32, 44, 184].includes(n))
    throw new KiteDecodeError(
      `a ${n}-byte packet is no Kite mode (ltp 8, index quote 28, index full 32, quote 44, full 184)`,
    );
  const int = (at: number) => v.getInt32(at);
  const token = v.getUint32(0);
  const segment = token & 0xff;
  const base = {
    token,
    segment,
    divisor: DIVISORS[segment] ?? 100,
    tradable: segment !== SEGMENT_INDICES,
    lastPrice: int(4),
  };
  if (n === 8) return { mode: 'ltp', ...base };
  if (n === 28 || n === 32) {
    const ohlc = { high: int(8), low: int(12), open: int(16), close: int(20) };
    const index: KitePacket = { mode: n === 28 ? 'quote' : 'full', ...base, ohlc, change: int(24) };
    return n === 28 ? index : { ...index, exchangeTimestamp: int(28) * 1000 };
  }
  const ohlc = { open: int(28), high: int(32), low: int(36), close: int(40) };
  const quote: KitePacket = {
    mode: 'quote',
    ...base,
    lastQuantity: int(8),
    averagePrice: int(12),
    volume: int(16),
    buyQuantity: int(20),
    sellQuantity: int(24),
    ohlc,
    change: base.lastPrice - ohlc.close,
  };
  if (n === 44) return quote;
  const level = (at: number): KiteDepthLevel => ({
    quantity: int(at),
    price: int(at + 4),
    orders: v.getInt16(at + 8),
  });
  const buy: KiteDepthLevel[] = [];
  const sell: KiteDepthLevel[] = [];
  for (let i = 0; i < 5; i++) buy.push(level(64 + 12 * i));
  for (let i = 5; i < 10; i++) sell.push(level(64 + 12 * i));
  return {
    ...quote,
    mode: 'full',
    lastTradeTime: int(44) * 1000,
    oi: int(48),
    oiDayHigh: int(52),
    oiDayLow: int(56),
    exchangeTimestamp: int(60) * 1000,
    depth: { buy, sell },
  };
}

function view(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

/**
 * The MarketTick of a packet, prices in paise: its time is the exchange's timestamp, else the
 * last trade's, else `receivedAt`; empty depth levels are left out. Throws KiteDecodeError for a
 * segment whose prices are not paise (currency derivatives).
 */
export function marketTickOf(p: KitePacket, receivedAt: number): MarketTick {
  if (p.divisor !== 100)
    throw new KiteDecodeError(
      `instrument ${p.token} is in segment ${p.segment}, priced in 1/${p.divisor} rupee: only paise-priced segments are ticks of this runtime`,
    );
  const levels = (ls: readonly KiteDepthLevel[] | undefined): DepthLevel[] =>
    (ls ?? [])
      .filter((l) => l.price > 0 || l.quantity > 0)
      .map((l) => ({ price: paise(l.price), quantity: l.quantity, orders: l.orders }));
  return {
    token: p.token,
    ts: p.exchangeTimestamp ?? p.lastTradeTime ?? receivedAt,
    lastPrice: paise(p.lastPrice),
    lastQuantity: p.lastQuantity ?? 0,
    averagePrice: paise(p.averagePrice ?? 0),
    volume: p.volume ?? 0,
    buyQuantity: p.buyQuantity ?? 0,
    sellQuantity: p.sellQuantity ?? 0,
    open: paise(p.ohlc?.open ?? 0),
    high: paise(p.ohlc?.high ?? 0),
    low: paise(p.ohlc?.low ?? 0),
    close: paise(p.ohlc?.close ?? 0),
    oi: p.oi ?? 0,
    bids: levels(p.depth?.buy),
    asks: levels(p.depth?.sell),
  };
}
