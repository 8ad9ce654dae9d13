import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSettings } from '../config/index.js';
import { parseInstrumentsCsv, type StrategyConfig } from '../model/index.js';
import { DiscardTransport, LmdbTransport, SimulatedClock } from '../runtime/index.js';
import { runBacktest } from './backtest.js';
import { INPUTS, Replayer } from './replayer.js';
import { runSpec, systemOptions } from './run-spec.js';
import { TradingSystem } from './trading-system.js';

const ROOT = join(import.meta.dirname, '..', '..');
const instruments = parseInstrumentsCsv(
  readFileSync(join(ROOT, 'config', 'instruments.csv'), 'utf8'),
);
const strategies: StrategyConfig[] = instruments.slice(0, 4).map((i) => ({
  id: `ema_${i.token}`,
  type: 'ema_cross',
  params: { fast_period: 2, slow_period: 4, bar_ticks: 5, quantity: 1 },
  instruments: [i.token],
  brokers: ['paper'],
  enabled: true,
}));
const dir = mkdtempSync(join(tmpdir(), 'ap-replayer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('Replayer', () => {
  it('keeps what one input derives until compared, not every derived record of the journal', async () => {
    const settings = loadSettings({});
    const { system, result } = await runBacktest(
      { ticks: 20_000, seed: 3, batch: 100, instruments, strategies },
      (clock, random) =>
        TradingSystem.open(
          systemOptions(
            { ...runSpec(settings, instruments, strategies, random.seed), budget: null },
            { clock, random, transport: new LmdbTransport(join(dir, 'journal')) },
          ),
        ),
    );
    await system.close();
    const t = new LmdbTransport(join(dir, 'journal'), { readOnly: true });
    await t.open({ nonce: 0, createdMs: 0 });
    let seg: Replayer | null = null;
    let derived = 0;
    let sinceInput = 0;
    let mostPerInput = 0;
    let mostKept = 0;
    try {
      for await (const r of t.read(1)) {
        if (r.type === 'RunStarted') {
          seg = await Replayer.open(r, {
            transport: new DiscardTransport(r.seq - 1),
            clock: new SimulatedClock(r.ts),
          });
          continue;
        }
        if (INPUTS.has(r.type)) {
          seg!.input(r);
          sinceInput = 0;
          continue;
        }
        derived++;
        mostPerInput = Math.max(mostPerInput, ++sinceInput);
        expect(seg!.matches(r).ok).toBe(true);
        mostKept = Math.max(mostKept, seg!.produced.size);
      }
      seg!.settle();
      expect(seg!.system.switchboard.fingerprint()).toBe(result.fingerprint);
    } finally {
      await seg?.close();
      await t.close();
    }
    // Many derived records in all, never more than one input's worth held at once.
    expect(derived).toBeGreaterThan(10 * mostPerInput);
    expect(mostKept).toBeLessThanOrEqual(mostPerInput);
    expect(seg!.produced.size).toBe(0);
  });
});
