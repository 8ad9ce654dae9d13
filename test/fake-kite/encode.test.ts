/** The ticker encoder against our decoder and the recorded packets. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeMessage, decodePacket, marketTickOf } from '../../src/brokers/index.js';
import type { MarketTick } from '../../src/model/index.js';
import { encodeFrame, encodePacket, encodeTick, HEARTBEAT, packetOfTick } from './encode.js';
import { KITE_FIXTURES } from './kite-fixtures.js';

const packet = (name: string): Uint8Array =>
  Buffer.from(readFileSync(join(KITE_FIXTURES, name), 'utf8').trim(), 'base64');

const TICK: MarketTick = {
  token: 3861249,
  ts: 1_735_700_000_000,
  lastPrice: 123_45 as MarketTick['lastPrice'],
  lastQuantity: 3,
  averagePrice: 123_00 as MarketTick['lastPrice'],
  volume: 10_000,
  buyQuantity: 500,
  sellQuantity: 700,
  open: 120_00 as MarketTick['lastPrice'],
  high: 125_00 as MarketTick['lastPrice'],
  low: 119_00 as MarketTick['lastPrice'],
  close: 121_00 as MarketTick['lastPrice'],
  oi: 0,
  bids: [{ price: 123_40 as MarketTick['lastPrice'], quantity: 10, orders: 2 }],
  asks: [
    { price: 123_45 as MarketTick['lastPrice'], quantity: 5, orders: 1 },
    { price: 123_50 as MarketTick['lastPrice'], quantity: 50, orders: 4 },
  ],
};

describe('encode', () => {
  it.each(['ticker_full.packet', 'ticker_quote.packet'])(
    'reproduces the bytes of %s from its decoding',
    (name) => {
      const bytes = packet(name);
      expect(encodePacket(decodePacket(bytes))).toEqual(new Uint8Array(bytes));
    },
  );

  it('round-trips a full tick through decodeMessage and marketTickOf', () => {
    const m = decodeMessage(encodeTick(TICK, 'full'));
    expect(m.kind).toBe('ticks');
    if (m.kind !== 'ticks') return;
    expect(m.packets).toHaveLength(1);
    expect(marketTickOf(m.packets[0]!, 0)).toEqual(TICK);
  });

  it('writes quote packets of 44 bytes and ltp packets of 8', () => {
    const quote = decodeMessage(encodeTick(TICK, 'quote'));
    const ltp = decodeMessage(encodeTick(TICK, 'ltp'));
    expect(quote).toEqual({ kind: 'ticks', packets: [packetOfTick(TICK, 'quote')] });
    expect(ltp).toEqual({ kind: 'ticks', packets: [packetOfTick(TICK, 'ltp')] });
    expect(encodeTick(TICK, 'quote').byteLength).toBe(2 + 2 + 44);
    expect(encodeTick(TICK, 'ltp').byteLength).toBe(2 + 2 + 8);
  });

  it('frames several packets and writes a 1-byte heartbeat', () => {
    const frame = encodeFrame([
      encodePacket(packetOfTick(TICK, 'ltp')),
      encodePacket(packetOfTick(TICK, 'full')),
    ]);
    const m = decodeMessage(frame);
    expect(m.kind === 'ticks' && m.packets.map((p) => p.mode)).toEqual(['ltp', 'full']);
    expect(decodeMessage(HEARTBEAT)).toEqual({ kind: 'heartbeat' });
  });
});
