import { describe, expect, it } from 'vitest';
import { EnvelopeSchema, ENVELOPE_VERSION, type JournalRecord } from '../model/index.js';
import { journalRecords } from '../../test/helpers/journal-records.js';
import { recordId, toEnvelope } from './envelope.js';

const META = { nonce: 2 ** 33 + 987, createdMs: 1_767_584_700_000 };
const recs = journalRecords(28);
const bySeq = new Map(recs.map((r) => [r.seq, r]));
const ofType = (type: string): JournalRecord => {
  const r = recs.find((x) => x.type === type);
  if (!r) throw new Error(`no ${type} record in the fixture`);
  return r;
};

describe('toEnvelope', () => {
  it('renders every record kind as an envelope that passes EnvelopeSchema', () => {
    for (const r of recs) {
      const env = toEnvelope(META, r);
      expect(EnvelopeSchema.safeParse(env).error).toBeUndefined();
      expect(env).toMatchObject({
        seq: r.seq,
        source: r.source,
        target: r.target,
        broker: r.broker,
        key: r.key,
        version: ENVELOPE_VERSION,
        data: r.data,
        ts: new Date(r.ts).toISOString(),
      });
    }
  });

  it('derives the id from the journal and the seq', () => {
    const r = ofType('OrderFilled');
    const env = toEnvelope(META, r);
    expect(env.id).toBe(recordId(META, r.seq));
    expect(toEnvelope({ ...META, nonce: META.nonce + 1 }, r).id).not.toBe(env.id);
    expect(new Set(recs.map((x) => toEnvelope(META, x).id)).size).toBe(recs.length);
  });

  it('gives an input its own id as correlation id and no causation id', () => {
    for (const type of ['MarketTick', 'SetTradingState']) {
      const env = toEnvelope(META, ofType(type));
      expect(env.correlation_id).toBe(env.id);
      expect(env.causation_id).toBeNull();
    }
  });

  it('points correlation at the chain’s input and causation at the direct cause', () => {
    const fill = ofType('OrderFilled');
    const env = toEnvelope(META, fill);
    const order = bySeq.get(fill.causationSeq)!;
    const tick = bySeq.get(fill.correlationSeq)!;
    expect(order.type).toBe('SubmitOrder');
    expect(tick.type).toBe('MarketTick');
    expect(env.causation_id).toBe(toEnvelope(META, order).id);
    expect(env.correlation_id).toBe(toEnvelope(META, tick).id);
    // Every hop of the chain shares the correlation id.
    const chain = recs.filter((r) => r.correlationSeq === tick.seq);
    expect(chain.map((r) => r.type)).toEqual(
      expect.arrayContaining(['MarketTick', 'TradingSignal', 'SignalValidated', 'SubmitOrder']),
    );
    for (const r of chain) expect(toEnvelope(META, r).correlation_id).toBe(env.correlation_id);
  });

  it('uses the SPEC §1 type names, and snake_case for ours', () => {
    const expected: Record<string, string> = {
      MarketTick: 'market_tick',
      TradingSignal: 'trading_signal',
      SignalValidated: 'validated_signal',
      SubmitOrder: 'order_placed',
      OrderFilled: 'order_filled',
      PnlSnapshot: 'pnl_snapshot',
      PortfolioSnapshot: 'portfolio_snapshot',
      SetTradingState: 'set_trading_state',
      TradingStateChanged: 'trading_state_changed',
    };
    for (const [type, name] of Object.entries(expected))
      expect(toEnvelope(META, ofType(type)).type, type).toBe(name);

    const base = ofType('OrderFilled');
    const as = (type: string) => toEnvelope(META, { ...base, type }).type;
    expect(as('OrderRejected')).toBe('order_failed');
    expect(as('SignalRejected')).toBe('rejected_signal');
    expect(as('DeadLettered')).toBe('system_error');
    expect(as('BrokerReplied')).toBe('broker_replied');
    expect(as('KiteSessionExpired2')).toBe('kite_session_expired2');
  });

  it('writes ts as ISO-8601 UTC with milliseconds', () => {
    const env = toEnvelope(META, {
      ...ofType('MarketTick'),
      ts: Date.UTC(2026, 0, 5, 3, 45, 0, 7),
    });
    expect(env.ts).toBe('2026-01-05T03:45:00.007Z');
  });
});
