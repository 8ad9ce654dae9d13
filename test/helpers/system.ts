/** Test builders: an in-process trading system on a temp LMDB journal, through the real constructors. */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { configFile } from './fixtures.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultBrokerSpec, TradingSystem } from '../../src/system/index.js';
import { MockMarket } from '../../src/feed/index.js';
import type { BrokerLimits, MarketHours, StrategyConfig } from '../../src/model/index.js';
import type { BrokerAdapter } from '../../src/brokers/index.js';
import { PaperBroker, type PaperBrokerConfig } from '../../src/brokers/paper/index.js';
import {
  parseInstrumentsCsv,
  type Instrument,
  type JournalRecord,
  type MarketTick,
} from '../../src/model/index.js';
import { InputClock, SimulatedClock } from '../../src/runtime/clock.js';
import { SeededRandom } from '../../src/runtime/ids.js';
import type { LogTransport } from '../../src/runtime/transport.js';
import { LmdbTransport } from '../../src/runtime/transports/lmdb.js';
import { StrategyRegistry, type AnyStrategyDefinition } from '../../src/strategies/index.js';

export const ROOT = join(import.meta.dirname, '..', '..');

export function instruments(): Instrument[] {
  return parseInstrumentsCsv(configFile('instruments.csv'));
}

export function tempDir(prefix = 'ap-test-'): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/**
 * A temporary CONFIG_DIR with the project's instruments and charges files and `strategiesYaml`
 * as its strategies.yaml.
 */
export function tempConfigDir(
  strategiesYaml: string,
  prefix = 'ap-config-',
): { path: string; remove: () => void } {
  const dir = tempDir(prefix);
  copyFileSync(join(ROOT, 'config', 'instruments.csv'), join(dir.path, 'instruments.csv'));
  mkdirSync(join(dir.path, 'charges'));
  const charges = join('charges', 'zerodha-equity.yaml');
  copyFileSync(join(ROOT, 'config', charges), join(dir.path, charges));
  writeFileSync(join(dir.path, 'strategies.yaml'), strategiesYaml);
  return dir;
}

export interface TestSystem {
  readonly system: TradingSystem;
  readonly clock: SimulatedClock;
  readonly market: MockMarket;
  readonly transport: LogTransport;
  readonly dir: string;
  /** Feeds `n` mock ticks in batches of `batch`, advancing the clock 10 ms per tick. */
  feed(n: number, batch?: number): void;
  /** Every record in the journal, after a flush. */
  journal(): Promise<JournalRecord[]>;
  close(): Promise<void>;
}

export async function startTestSystem(opts: {
  strategies: StrategyConfig[];
  seed?: number;
  extraStrategies?: AnyStrategyDefinition[];
  adapter?: BrokerAdapter;
  transport?: LogTransport;
  budget?: { maxRestarts: number; windowMs: number };
  clockStart?: number;
  /** Changes to the default settings' risk limits. */
  limits?: Partial<BrokerLimits>;
  /** Changes to the paper broker's test configuration (flat 0.1% charges). */
  paper?: PaperBrokerConfig;
  hours?: MarketHours;
}): Promise<TestSystem> {
  const dir = tempDir();
  const clock = new SimulatedClock(opts.clockStart ?? Date.UTC(2026, 0, 5, 3, 45));
  const random = new SeededRandom(opts.seed ?? 1);
  const registry = new StrategyRegistry();
  for (const d of opts.extraStrategies ?? []) registry.register(d);
  const transport = opts.transport ?? new LmdbTransport(join(dir.path, 'journal'));
  const inst = instruments();
  const inputClock = new InputClock();
  const system = await TradingSystem.open({
    inputClock,
    ...(opts.hours ? { hours: opts.hours } : {}),
    clock,
    random,
    transport,
    instruments: inst,
    strategies: opts.strategies,
    registry,
    brokers: [
      {
        name: 'paper',
        adapter:
          opts.adapter ??
          new PaperBroker(
            { charges: { kind: 'flat', percent: 0.1 }, seed: opts.seed ?? 1, ...opts.paper },
            inputClock,
          ),
        limits: { ...defaultBrokerSpec().limits, ...opts.limits },
      },
    ],
    ...(opts.budget ? { budget: opts.budget } : {}),
  });
  const market = new MockMarket(inst, random.fork('market'));
  return {
    system,
    clock,
    market,
    transport,
    dir: dir.path,
    feed(n, batch = 100) {
      for (let done = 0; done < n;) {
        const k = Math.min(batch, n - done);
        const ticks: MarketTick[] = [];
        for (let i = 0; i < k; i++) {
          clock.advance(10);
          ticks.push(market.next(clock.now()));
        }
        system.ingestTicks(ticks);
        done += k;
      }
    },
    async journal() {
      await system.bridge.flush();
      const out: JournalRecord[] = [];
      for await (const r of transport.read(1)) out.push(r);
      return out;
    },
    async close() {
      await system.close();
      dir.remove();
    },
  };
}

/** Every record of the LMDB journal under `dataDir` (a DATA_DIR), for a stopped process's journal. */
export async function readLmdbJournal(dataDir: string): Promise<JournalRecord[]> {
  const t = new LmdbTransport(join(dataDir, 'journal'));
  await t.open({ nonce: 0, createdMs: 0 });
  const out: JournalRecord[] = [];
  for await (const r of t.read(1)) out.push(r);
  await t.close();
  return out;
}

/** Asserts seqs are exactly 1..n in order. */
export function contiguousFromOne(records: readonly JournalRecord[]): boolean {
  return records.every((r, i) => r.seq === i + 1);
}
