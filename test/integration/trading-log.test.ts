/** The trading log: one line per order, fill, rejection, halt, restart, fault and dead letter. */
import { afterEach, describe, expect, it } from 'vitest';
import type { JournalRecord } from '../../src/model/index.js';
import { recordId } from '../../src/runtime/index.js';
import { createLogger, logTradingEvents } from '../../src/system/index.js';
import { faultyStrategy, RELIANCE, steadyAndFaulty, TCS } from '../helpers/faulty-strategy.js';
import { instruments, startTestSystem, type TestSystem } from '../helpers/system.js';

const START = Date.UTC(2026, 0, 5, 3, 45);

interface Entry {
  readonly level: number;
  readonly msg: string;
  readonly actor: string;
  readonly seq: number;
  readonly correlationSeq: number;
  readonly correlationId: string;
  readonly [field: string]: unknown;
}

let t: TestSystem | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe('logTradingEvents', () => {
  it('logs each order, fill, rejection, halt, resume, restart, fault and dead letter once, with its seq and correlation id', async () => {
    const idx = instruments().findIndex((i) => i.token === RELIANCE);
    // RELIANCE's 101st tick poisons the faulty strategy, and every later one too.
    const poisonTs = START + 10 * (20 * 100 + idx + 1);
    const strategies = steadyAndFaulty(poisonTs, true);
    t = await startTestSystem({
      strategies,
      extraStrategies: [faultyStrategy],
      clockStart: START,
      budget: { maxRestarts: 1, windowMs: 60_000 },
    });
    const written: string[] = [];
    const log = createLogger({
      level: 'info',
      format: 'json',
      to: { write: (s: string) => void written.push(s) },
    });
    logTradingEvents(t.system, log);

    t.feed(10_000);
    t.system.setTradingState('paper', 'HALTED', 'halted by the operator');
    t.feed(10_000);
    t.system.setTradingState('paper', 'ACTIVE', 'resumed by the operator');
    t.feed(1_000);

    const journal = await t.journal();
    const bySeq = new Map<number, JournalRecord>(journal.map((r) => [r.seq, r]));
    const entries = written.map((l) => JSON.parse(l) as Entry);
    const linesOf = (msg: string) => entries.filter((e) => e.msg === msg);
    const recordsOf = (type: string) => journal.filter((r) => r.type === type);

    // Each line names its record: the seq, the record's type, its correlation (seq and envelope id).
    const expected: [msg: string, type: string, level: number][] = [
      ['order submitted', 'SubmitOrder', 30],
      ['order filled', 'OrderFilled', 30],
      ['signal rejected', 'SignalRejected', 30],
      ['trading halted', 'TradingStateChanged', 30],
      ['trading resumed', 'TradingStateChanged', 30],
      ['actor restarted', 'ActorRestarted', 30],
      ['actor faulted', 'ActorFaulted', 30],
      ['message dead-lettered', 'DeadLettered', 40],
    ];
    for (const [msg, type, level] of expected) {
      const lines = linesOf(msg);
      expect(lines.length, msg).toBeGreaterThan(0);
      for (const line of lines) {
        const rec = bySeq.get(line.seq);
        expect(rec?.type, `${msg} seq ${line.seq}`).toBe(type);
        expect(line.level).toBe(level);
        expect(line.correlationSeq).toBe(rec!.correlationSeq);
        expect(line.correlationId).toBe(recordId(t.system.meta, rec!.correlationSeq));
        expect(line.correlationId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-/);
      }
    }
    // One line per record, no more: nothing else (ticks, signals, snapshots) at info.
    for (const type of ['SubmitOrder', 'OrderFilled', 'SignalRejected', 'ActorRestarted'])
      expect(entries.filter((e) => bySeq.get(e.seq)?.type === type)).toHaveLength(
        recordsOf(type).length,
      );
    expect(entries).toHaveLength(
      ['SubmitOrder', 'OrderFilled', 'OrderRejected', 'SignalRejected', 'TradingStateChanged']
        .concat(['ActorRestarted', 'ActorFaulted', 'DeadLettered'])
        .reduce((n, type) => n + recordsOf(type).length, 0),
    );

    // Each from the logger of the actor it is about, with its key fields.
    const order = linesOf('order submitted')[0]!;
    expect(order).toMatchObject({
      actor: 'trader:paper',
      broker: 'paper',
      strategyId: 'steady_ema',
      instrument: TCS,
    });
    expect(order['clientOrderId']).toEqual(expect.any(String));
    expect(order['side']).toMatch(/^(BUY|SELL)$/);
    const fill = linesOf('order filled')[0]!;
    expect(fill).toMatchObject({ actor: 'trader:paper', clientOrderId: order['clientOrderId'] });
    expect(fill['pricePaise']).toEqual(expect.any(Number));
    const rejected = linesOf('signal rejected');
    expect(rejected.every((r) => r.actor === 'risk-gate:paper')).toBe(true);
    expect(rejected.map((r) => r['code'])).toContain('TRADING_HALTED');
    expect(linesOf('trading halted')[0]).toMatchObject({
      actor: 'risk-gate:paper',
      broker: 'paper',
      from: 'ACTIVE',
      to: 'HALTED',
      reason: 'halted by the operator',
    });
    expect(linesOf('trading resumed')[0]).toMatchObject({ from: 'HALTED', to: 'ACTIVE' });
    for (const msg of ['actor restarted', 'actor faulted'])
      expect(linesOf(msg)[0]).toMatchObject({ actor: 'strategy:faulty_one', restarts: 1 });
    expect(linesOf('actor faulted')[0]!['error']).toContain('poison tick');
    expect(linesOf('message dead-lettered')[0]).toMatchObject({
      actor: 'strategy:faulty_one',
      originalTopic: 'market.ticks',
      originalType: 'MarketTick',
    });
  });
});
