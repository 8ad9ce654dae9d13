/** ARCHITECTURE "Actors and supervision": restart from last good context, DLQ, budget, FAULTED. */
import { afterEach, describe, expect, it } from 'vitest';
import type {
  ActorFaulted,
  ActorRestarted,
  DeadLettered,
  MarketTick,
} from '../../src/model/index.js';
import { faultyStrategy, RELIANCE, steadyAndFaulty } from '../helpers/faulty-strategy.js';
import {
  contiguousFromOne,
  instruments,
  startTestSystem,
  type TestSystem,
} from '../helpers/system.js';

const START = Date.UTC(2026, 0, 5, 3, 45);

/** Exchange time of the k-th tick (0-based) the test feed generates: one tick per 10 ms. */
const tsOfTick = (k: number) => START + 10 * (k + 1);

let t: TestSystem | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe('supervision', () => {
  const idx = instruments().findIndex((i) => i.token === RELIANCE);
  const poisonK = 20 * 500 + idx; // RELIANCE's 501st tick

  it('restarts a strategy that throws, dead-letters the tick with its error, and keeps everyone trading', async () => {
    t = await startTestSystem({
      strategies: steadyAndFaulty(tsOfTick(poisonK), false),
      extraStrategies: [faultyStrategy],
      clockStart: START,
    });
    t.feed(40_000, 100);
    const journal = await t.journal();
    expect(contiguousFromOne(journal)).toBe(true);

    const dlq = journal.filter((r) => r.topic === 'market.ticks.dlq');
    expect(dlq).toHaveLength(1);
    const dead = dlq[0]!.data as DeadLettered;
    const poisonRecord = journal.find(
      (r) => r.type === 'MarketTick' && (r.data as MarketTick).ts === tsOfTick(poisonK),
    )!;
    expect(dead.actorId).toBe('strategy:faulty_one');
    expect(dead.originalSeq).toBe(poisonRecord.seq);
    expect(dead.error.message).toContain('poison tick');
    expect((dead.original as MarketTick).token).toBe(RELIANCE);

    const restarts = journal
      .filter((r) => r.type === 'ActorRestarted')
      .map((r) => r.data as ActorRestarted);
    expect(restarts).toEqual([
      expect.objectContaining({ actorId: 'strategy:faulty_one', restarts: 1 }),
    ]);

    // The other strategy traded before and after the fault.
    const signals = journal.filter(
      (r) => r.type === 'TradingSignal' && r.key.startsWith('steady_ema:'),
    );
    expect(signals.some((r) => r.seq < poisonRecord.seq)).toBe(true);
    expect(signals.some((r) => r.seq > poisonRecord.seq)).toBe(true);

    // Restarted from its last good context: it has seen every RELIANCE tick but the poison one.
    const relianceTicks = journal.filter(
      (r) => r.type === 'MarketTick' && (r.data as MarketTick).token === RELIANCE,
    ).length;
    const status = t.system.strategies().find((s) => s.id === 'faulty_one')!;
    expect(status.status).toBe('RUNNING');
    const ctx = (
      t.system as unknown as {
        actor(id: string): {
          getSnapshot(): { context: { states: Record<number, { seen: number }> } };
        };
      }
    )
      .actor('strategy:faulty_one')!
      .getSnapshot().context;
    expect(ctx.states[RELIANCE]!.seen).toBe(relianceTicks - 1);
    expect(t.system.unhandledError).toBeNull();
  });

  it('marks a strategy FAULTED, journaled, once its restart budget is spent, while the others trade on', async () => {
    t = await startTestSystem({
      strategies: steadyAndFaulty(tsOfTick(poisonK), true),
      extraStrategies: [faultyStrategy],
      clockStart: START,
      budget: { maxRestarts: 3, windowMs: 60_000 },
    });
    t.feed(40_000, 100);
    const journal = await t.journal();
    expect(contiguousFromOne(journal)).toBe(true);
    const restarts = journal.filter((r) => r.type === 'ActorRestarted');
    const faults = journal.filter((r) => r.type === 'ActorFaulted');
    expect(restarts).toHaveLength(3);
    expect(faults).toHaveLength(1);
    expect(faults[0]!.data as ActorFaulted).toMatchObject({
      actorId: 'strategy:faulty_one',
      restarts: 3,
    });
    expect(faults[0]!.topic).toBe('system.events');
    expect(journal.filter((r) => r.topic === 'market.ticks.dlq')).toHaveLength(4);
    expect(t.system.strategies().find((s) => s.id === 'faulty_one')).toMatchObject({
      status: 'FAULTED',
    });
    const faultSeq = faults[0]!.seq;
    expect(
      journal.some(
        (r) => r.type === 'TradingSignal' && r.key.startsWith('steady_ema:') && r.seq > faultSeq,
      ),
    ).toBe(true);
    expect(t.system.unhandledError).toBeNull();
  });

  it('fails only the strategy whose type is unknown, with a clear journaled error', async () => {
    t = await startTestSystem({
      strategies: [
        ...steadyAndFaulty(0, false).slice(0, 1),
        {
          id: 'typo',
          type: 'ema_crosss',
          params: {},
          instruments: [RELIANCE],
          brokers: ['paper'],
          enabled: true,
        },
      ],
    });
    t.feed(5_000);
    const journal = await t.journal();
    const fault = journal.find((r) => r.type === 'ActorFaulted')!.data as ActorFaulted;
    expect(fault.actorId).toBe('strategy:typo');
    expect(fault.error).toContain('unknown strategy type "ema_crosss"');
    expect(fault.error).toContain('ema_cross');
    expect(t.system.strategies().find((s) => s.id === 'steady_ema')!.status).toBe('RUNNING');
    expect(journal.some((r) => r.type === 'TradingSignal')).toBe(true);
  });
});
