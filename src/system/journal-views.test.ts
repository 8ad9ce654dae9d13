import { afterEach, describe, expect, it } from 'vitest';
import type { JournalRecord } from '../model/index.js';
import { EMA_AND_MOMENTUM } from '../../test/helpers/strategies.js';
import { startTestSystem, type TestSystem } from '../../test/helpers/system.js';
import { startJournalViews } from './journal-views.js';

// The ema_cross alone.
const STRATEGIES = [EMA_AND_MOMENTUM[0]!];

const STAGES: Record<string, string> = {
  MarketTick: 'ticks',
  TradingSignal: 'signals',
  SignalValidated: 'validated',
  SignalRejected: 'rejected',
  SubmitOrder: 'orders',
  OrderFilled: 'fills',
  OrderRejected: 'failed',
};

let t: TestSystem | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** Count and last seq per `broker/stage`, counted from the journal itself. */
function expectedStages(journal: readonly JournalRecord[]) {
  const out = new Map<string, { count: number; lastSeq: number }>();
  for (const r of journal) {
    const stage = STAGES[r.type];
    if (stage === undefined) continue;
    const k = `${r.broker}/${stage}`;
    const e = out.get(k) ?? { count: 0, lastSeq: 0 };
    out.set(k, { count: e.count + 1, lastSeq: r.seq });
  }
  return out;
}

describe('startJournalViews', () => {
  it('counts the journal from its first record, then live, with what came during the read once', async () => {
    t = await startTestSystem({ strategies: STRATEGIES });
    const s = t;
    s.feed(2_000, 70);
    s.system.setTradingState('paper', 'HALTED', 'checking');
    s.feed(1_000, 70);
    s.system.setTradingState('paper', 'ACTIVE', 'checked');
    const views = startJournalViews(s.system, s.transport, ['paper']);
    // Journaled while the journal is read, in batches that straddle where the read stops.
    s.feed(1_000, 70);
    const read = await views.ready;
    s.feed(1_000, 70);
    const journal = await s.journal();
    expect(read).toBeGreaterThan(3_000);

    const got = new Map(
      views.pipeline
        .stages(0)
        .filter((x) => x.count > 0)
        .map((x) => [`${x.broker}/${x.stage}`, { count: x.count, lastSeq: x.lastSeq }]),
    );
    expect(got).toEqual(expectedStages(journal));
    expect(got.get('shared/ticks')?.count).toBe(5_000);

    const signals = journal.filter(
      (r) => r.type.startsWith('Signal') || r.type === 'TradingSignal',
    );
    const page = views.signals.list({ limit: 10_000 });
    expect(page.signals.map((r) => r.seq)).toEqual(signals.map((r) => r.seq).reverse());
    // Signals made during the halt were refused with its code.
    const refused = views.signals.list({ limit: 10_000, type: 'SignalRejected' }).signals;
    expect(refused.length).toBeGreaterThan(0);
    expect(new Set(refused.map((r) => r.code))).toEqual(new Set(['TRADING_HALTED']));
  });
});
