/**
 * A run over the seeded mock market through the real system, as the backtest drives it (timers
 * due before each batch, then the batch), with the settings, start time and tick spacing a test
 * chooses, journaled to LMDB so it can be read back and replayed.
 */
import { join } from 'node:path';
import { loadInstruments, loadSettings } from '../../src/config/index.js';
import { MockMarket } from '../../src/feed/index.js';
import type { JournalRecord, StrategyConfig } from '../../src/model/index.js';
import { SimulatedClock } from '../../src/runtime/clock.js';
import { SeededRandom } from '../../src/runtime/ids.js';
import { LmdbTransport } from '../../src/runtime/transports/lmdb.js';
import { StrategyRegistry, type AnyStrategyDefinition } from '../../src/strategies/index.js';
import { runSpec, systemOptions, TradingSystem } from '../../src/system/index.js';

export interface MarketRun {
  readonly system: TradingSystem;
  readonly transport: LmdbTransport;
  readonly registry: StrategyRegistry;
  /** Every record of the journal, after a flush. */
  records(): Promise<JournalRecord[]>;
  close(): Promise<void>;
}

/** Epoch ms of an IST wall time, `2026-03-02T09:15:00`. */
export const ist = (s: string) => Date.parse(`${s}+05:30`);

export async function marketRun(opts: {
  dir: string;
  env?: Record<string, string>;
  strategies: StrategyConfig[];
  extraStrategies?: AnyStrategyDefinition[];
  startMs: number;
  ticks: number;
  tickMs: number;
  batch?: number;
  seed?: number;
  /** Called after each batch with its index (operator commands, say). */
  onBatch?: (system: TradingSystem, batch: number) => void;
}): Promise<MarketRun> {
  const settings = loadSettings({ ...opts.env });
  const instruments = loadInstruments(settings.config_dir);
  const seed = opts.seed ?? 7;
  const registry = new StrategyRegistry();
  for (const d of opts.extraStrategies ?? []) registry.register(d);
  const clock = new SimulatedClock(opts.startMs);
  const random = new SeededRandom(seed);
  const transport = new LmdbTransport(join(opts.dir, 'journal'));
  const run = runSpec(settings, instruments, opts.strategies, seed);
  const system = await TradingSystem.open(
    systemOptions(run, { clock, random, transport, registry }),
  );
  const market = new MockMarket(instruments, random.fork('market'));
  const batch = opts.batch ?? 20;
  for (let done = 0, b = 0; done < opts.ticks; b++) {
    const n = Math.min(batch, opts.ticks - done);
    const ticks = [];
    for (let i = 0; i < n; i++) {
      clock.advance(opts.tickMs);
      ticks.push(market.next(clock.now()));
    }
    system.commands.advance(clock.now());
    system.ingestTicks(ticks);
    done += n;
    opts.onBatch?.(system, b);
    if (b % 50 === 0) await new Promise((r) => setImmediate(r));
  }
  await system.bridge.flush();
  return {
    system,
    transport,
    registry,
    records: async () => {
      await system.bridge.flush();
      const out: JournalRecord[] = [];
      for await (const r of transport.read(1)) out.push(r);
      return out;
    },
    close: () => system.close(),
  };
}
