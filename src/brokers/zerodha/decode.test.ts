import { describe, expect, it } from 'vitest';
import { kiteFixture, kitePacket } from '../../../test/helpers/fixtures.js';
import { MarketTickSchema } from '../../model/index.js';
import {
  decodeMessage,
  decodePacket,
  KiteDecodeError,
  marketTickOf,
  type KitePacket,
} from './decode.js';

/** The official clients' decoding (rupees, ISO times), as the fixtures hold it. */
interface Decoded {
  mode: string;
  tradable: boolean;
  instrument_token: number;
  last_price: number;
  last_quantity?: number;
  average_price?: number;
  volume?: number;
  buy_quantity?: number;
  sell_quantity?: number;
  ohlc?: { open: number; high: number; low: number; close: number };
  last_trade_time?: string;
  oi?: number;
  oi_day_high?: number;
  oi_day_low?: number;
  timestamp?: string;
  change?: number;
  depth?: { buy: Level[]; sell: Level[] };
}
interface Level {
  price: number;
  quantity: number;
  orders: number;
}

/** A base64 fixture of one bare packet (no frame header). */
const bare = (name: string) => Buffer.from(kitePacket(name).toString('latin1').trim(), 'base64');
const paise = (rupees: number) => Math.round(rupees * 100);
const ms = (iso: string) => Date.parse(iso);
const level = (l: Level) => ({ price: paise(l.price), quantity: l.quantity, orders: l.orders });

/** The fixture's decoding in our units: prices in paise, times in epoch ms. */
function expected(d: Decoded): Partial<KitePacket> {
  return {
    mode: d.mode as KitePacket['mode'],
    tradable: d.tradable,
    token: d.instrument_token,
    lastPrice: paise(d.last_price),
    ...(d.last_quantity !== undefined && {
      lastQuantity: d.last_quantity,
      averagePrice: paise(d.average_price!),
      volume: d.volume!,
      buyQuantity: d.buy_quantity!,
      sellQuantity: d.sell_quantity!,
    }),
    ...(d.ohlc && {
      ohlc: {
        open: paise(d.ohlc.open),
        high: paise(d.ohlc.high),
        low: paise(d.ohlc.low),
        close: paise(d.ohlc.close),
      },
    }),
    ...(d.last_trade_time && { lastTradeTime: ms(d.last_trade_time) }),
    ...(d.oi !== undefined && { oi: d.oi, oiDayHigh: d.oi_day_high!, oiDayLow: d.oi_day_low! }),
    ...(d.timestamp && { exchangeTimestamp: ms(d.timestamp) }),
    ...(d.depth && { depth: { buy: d.depth.buy.map(level), sell: d.depth.sell.map(level) } }),
  };
}

describe('the Kite ticker decoder', () => {
  it('decodes the full packet into exactly the values of ticker_full.json, in paise', () => {
    const p = decodePacket(bare('ticker_full.packet'));
    const d = kiteFixture<Decoded>('ticker_full.json');
    expect(p).toMatchObject(expected(d));
    expect(p.change).toBe(paise(d.change!)); // 1573.70 − 1567.80
    expect(p.depth!.buy).toHaveLength(5);
    expect(p.depth!.sell).toHaveLength(5);
  });

  it('decodes the quote packet into the values of ticker_quote.json', () => {
    const p = decodePacket(bare('ticker_quote.packet'));
    const d = kiteFixture<Decoded>('ticker_quote.json');
    // The fixture's `change` belongs to the full packet (see its README): the quote's own is 5.35.
    const { change: _change, ...rest } = d;
    expect(p).toMatchObject(expected(rest));
    expect(p.change).toBe(535);
    expect(p).not.toHaveProperty('depth');
  });

  it("decodes kiteconnectjs's captured frames in ltp, quote and full mode", () => {
    for (const [file, mode] of [
      ['ticker_ltpMode_kiteconnectjs.packet', 'ltp'],
      ['ticker_quoteMode_kiteconnectjs.packet', 'quote'],
      ['ticker_fullMode_kiteconnectjs.packet', 'full'],
    ] as const) {
      const m = decodeMessage(kitePacket(file));
      expect(m.kind, file).toBe('ticks');
      const [p] = m.kind === 'ticks' ? m.packets : [];
      expect(p, file).toMatchObject({
        mode,
        token: 884737,
        tradable: true,
        segment: 1,
        divisor: 100,
      });
      expect(p!.lastPrice, file).toBeGreaterThan(0);
    }
  });

  it('takes a 1-byte message for the heartbeat, and frames of several packets in order', () => {
    expect(decodeMessage(Uint8Array.of(0))).toEqual({ kind: 'heartbeat' });
    const full = bare('ticker_full.packet');
    const quote = bare('ticker_quote.packet');
    const frame = Buffer.concat([
      Buffer.from([0, 2, full.length >> 8, full.length & 0xff]),
      full,
      Buffer.from([quote.length >> 8, quote.length & 0xff]),
      quote,
    ]);
    const m = decodeMessage(frame);
    expect(m.kind === 'ticks' && m.packets.map((p) => p.mode)).toEqual(['full', 'quote']);
  });

  it('refuses a frame that lies about its length or holds a packet of no mode, saying where', () => {
    const full = bare('ticker_full.packet');
    const short = Buffer.concat([Buffer.from([0, 1, 0, 184]), full.subarray(0, 100)]);
    expect(() => decodeMessage(short)).toThrow(KiteDecodeError);
    expect(() => decodeMessage(short)).toThrow(/packet 1 of 1 is 184 bytes but only 100 remain/);
    expect(() => decodePacket(full.subarray(0, 50))).toThrow(/a 50-byte packet is no Kite mode/);
    const extra = Buffer.concat([Buffer.from([0, 1, 0, 184]), full, Buffer.from([7])]);
    expect(() => decodeMessage(extra)).toThrow(/ends at byte 188 but the message has 189/);
  });

  it('makes a valid MarketTick, timed by the exchange, and refuses non-paise segments', () => {
    const t = marketTickOf(decodePacket(bare('ticker_full.packet')), 0);
    expect(MarketTickSchema.parse(t)).toEqual(t);
    expect(t).toMatchObject({
      token: 408065,
      lastPrice: 157_370,
      ts: ms('2021-07-05T10:41:27+05:30'),
    });
    expect(t.bids[0]).toEqual({ price: 157_340, quantity: 5, orders: 1 });
    expect(t.asks[0]).toEqual({ price: 157_370, quantity: 172, orders: 3 });
    const ltp = marketTickOf(decodePacket(bare('ticker_full.packet').subarray(0, 8)), 42);
    expect(ltp).toMatchObject({ ts: 42, bids: [], asks: [] });
    const cds = Buffer.from(bare('ticker_full.packet').subarray(0, 8));
    cds[3] = 3; // segment 3: NSE currency derivatives, priced in 1/10^7 rupee
    expect(() => marketTickOf(decodePacket(cds), 0)).toThrow(
      /segment 3, priced in 1\/10000000 rupee/,
    );
  });
});
