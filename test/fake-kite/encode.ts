/**
 * The ticker's wire format, written: the inverse of src/brokers/zerodha/decode.ts (see the layout
 * there). Packets of tradable instruments in ltp (8 bytes), quote (44) and full (184) mode,
 * frames of packets, and the 1-byte heartbeat; big-endian, prices in paise.
 */
import type { KiteDepthLevel, KitePacket } from '../../src/brokers/index.js';
import type { DepthLevel, MarketTick } from '../../src/model/index.js';

export type TickMode = KitePacket['mode'];

/** The heartbeat the server sends every second: one byte. */
export const HEARTBEAT: Uint8Array = Uint8Array.of(0);

const LENGTHS: Readonly<Record<TickMode, number>> = { ltp: 8, quote: 44, full: 184 };

/** The packet our decoder reads back as `t` (ts in whole seconds), in `mode`. */
export function packetOfTick(t: MarketTick, mode: TickMode): KitePacket {
  const segment = t.token & 0xff;
  const base = { token: t.token, segment, divisor: 100, tradable: segment !== 9 };
  if (mode === 'ltp') return { mode, ...base, lastPrice: t.lastPrice };
  const quote: KitePacket = {
    mode: 'quote',
    ...base,
    lastPrice: t.lastPrice,
    lastQuantity: t.lastQuantity,
    averagePrice: t.averagePrice,
    volume: t.volume,
    buyQuantity: t.buyQuantity,
    sellQuantity: t.sellQuantity,
    ohlc: { open: t.open, high: t.high, low: t.low, close: t.close },
    change: t.lastPrice - t.close,
  };
  if (mode === 'quote') return quote;
  const levels = (ls: readonly DepthLevel[]): KiteDepthLevel[] =>
    ls.map((l) => ({ price: l.price, quantity: l.quantity, orders: l.orders }));
  return {
    ...quote,
    mode: 'full',
    lastTradeTime: t.ts,
    oi: t.oi,
    oiDayHigh: t.oi,
    oiDayLow: t.oi,
    exchangeTimestamp: t.ts,
    depth: { buy: levels(t.bids), sell: levels(t.asks) },
  };
}

/**
 * Writes one packet (without the frame header) in `p.mode`; times are written as whole epoch
 * seconds, missing depth levels as zeros. Throws RangeError for a field that does not fit.
 */
export function encodePacket(p: KitePacket): Uint8Array {
  const out = new Uint8Array(LENGTHS[p.mode]);
  const v = new DataView(out.buffer);
  const int = (at: number, x: number | undefined, name: string) => {
    const n = x ?? 0;
    if (!Number.isInteger(n) || n < -(2 ** 31) || n >= 2 ** 31)
      throw new RangeError(`${name} ${String(n)} does not fit a packet's int32`);
    v.setInt32(at, n);
  };
  v.setUint32(0, p.token);
  int(4, p.lastPrice, 'lastPrice');
  if (p.mode === 'ltp') return out;
  int(8, p.lastQuantity, 'lastQuantity');
  int(12, p.averagePrice, 'averagePrice');
  int(16, p.volume, 'volume');
  int(20, p.buyQuantity, 'buyQuantity');
  int(24, p.sellQuantity, 'sellQuantity');
  int(28, p.ohlc?.open, 'open');
  int(32, p.ohlc?.high, 'high');
  int(36, p.ohlc?.low, 'low');
  int(40, p.ohlc?.close, 'close');
  if (p.mode === 'quote') return out;
  const seconds = (ms: number | undefined) => Math.floor((ms ?? 0) / 1000);
  int(44, seconds(p.lastTradeTime), 'lastTradeTime');
  int(48, p.oi, 'oi');
  int(52, p.oiDayHigh, 'oiDayHigh');
  int(56, p.oiDayLow, 'oiDayLow');
  int(60, seconds(p.exchangeTimestamp), 'exchangeTimestamp');
  const sides = [p.depth?.buy ?? [], p.depth?.sell ?? []];
  sides.forEach((levels, s) => {
    if (levels.length > 5) throw new RangeError(`${levels.length} depth levels: a packet has 5`);
    levels.forEach((l, i) => {
      const at = 64 + 12 * (5 * s + i);
      int(at, l.quantity, 'depth quantity');
      int(at + 4, l.price, 'depth price');
      v.setInt16(at + 8, l.orders);
    });
  });
  return out;
}

/** A frame: the packet count, then each packet's length and bytes. */
export function encodeFrame(packets: readonly Uint8Array[]): Uint8Array {
  const size = 2 + packets.reduce((n, p) => n + 2 + p.byteLength, 0);
  const out = new Uint8Array(size);
  const v = new DataView(out.buffer);
  v.setUint16(0, packets.length);
  let at = 2;
  for (const p of packets) {
    v.setUint16(at, p.byteLength);
    out.set(p, at + 2);
    at += 2 + p.byteLength;
  }
  return out;
}

/** A one-packet frame of `t` in `mode`: what a subscribed socket receives. */
export function encodeTick(t: MarketTick, mode: TickMode): Uint8Array {
  return encodeFrame([encodePacket(packetOfTick(t, mode))]);
}
