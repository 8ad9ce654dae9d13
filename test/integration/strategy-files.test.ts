/**
 * Strategies in files, in process: a strategy written from the `new-strategy` template in a
 * STRATEGIES_DIR trades in a backtest beside a broken file that faults only its own strategy; the
 * run records the code's SHA-256; replay reproduces the fingerprint, and after an edit of the
 * file it is a counterfactual with the code changes and the order diff.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadSettings } from '../../src/config/index.js';
import type { RunStarted, StrategyConfig } from '../../src/model/index.js';
import {
  backtestJournal,
  loadStrategyRegistry,
  openJournalToRead,
  runBacktest,
  runReplay,
  runSpec,
  sha256,
  systemOptions,
  TradingSystem,
  writeNewStrategy,
} from '../../src/system/index.js';
import { instruments, tempDir } from '../helpers/system.js';

const RELIANCE = 738561;
const TCS = 2953217;

const STRATEGIES: StrategyConfig[] = [
  {
    id: 'mine',
    type: 'my_cross',
    // Short periods on 1 s bars, so the mock market crosses within the run.
    params: { fast: 2, slow: 4, bar_seconds: 1, quantity: 5 },
    instruments: [RELIANCE, TCS],
    brokers: ['paper'],
    enabled: true,
  },
  {
    id: 'broken',
    type: 'half_written',
    params: {},
    instruments: [RELIANCE],
    brokers: ['paper'],
    enabled: true,
  },
];

const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanup.splice(0)) c();
});

/** A backtest of STRATEGIES with STRATEGIES_DIR `dir`, journaled under `dataDir`. */
async function backtest(dir: string, dataDir: string) {
  const settings = loadSettings({});
  const { registry } = loadStrategyRegistry(dir);
  const list = instruments();
  return runBacktest(
    { ticks: 30_000, seed: 11, instruments: list, strategies: STRATEGIES, tickIntervalMs: 20 },
    (clock, random) =>
      TradingSystem.open(
        systemOptions(runSpec(settings, list, STRATEGIES, random.seed, registry), {
          clock,
          random,
          transport: backtestJournal(dataDir),
          registry,
        }),
      ),
  );
}

async function replay(dir: string, dataDir: string) {
  const transport = await openJournalToRead(loadSettings({}), dataDir, 'replay');
  try {
    return await runReplay(transport, { registry: loadStrategyRegistry(dir).registry });
  } finally {
    await transport.close();
  }
}

describe('a strategy file written from the template', () => {
  it('trades in a backtest beside a broken file, and replays as recorded or as a counterfactual', async () => {
    const dir = tempDir('ap-strategies-');
    const data = tempDir('ap-backtest-');
    cleanup.push(dir.remove, data.remove);
    const [file] = writeNewStrategy(dir.path, 'my_cross');
    writeFileSync(
      join(dir.path, 'half_written.ts'),
      "import { defineStrategy } from 'alpha-panda';\nexport default defineStrategy({\n  name: 'half_written',,\n});\n",
    );

    const { result, system } = await backtest(dir.path, data.path);
    const statuses = system.strategies();
    const records = system.switchboard.stats().byType;
    await system.close();

    // The template's strategy trades: LIMIT entries with brackets, filled by the paper broker.
    expect(result.orders).toBeGreaterThan(0);
    expect(result.fills).toBeGreaterThan(0);
    expect(records.SubmitOrder).toBe(result.orders);
    const mine = statuses.find((s) => s.id === 'mine')!;
    expect(mine.status).not.toBe('FAULTED');
    // The broken file faults its own strategy only, with the file, line, column and reason.
    const broken = statuses.find((s) => s.id === 'broken')!;
    expect(broken.status).toBe('FAULTED');
    expect(broken.error).toBe(
      "strategy broken: half_written.ts:3:24: syntax error: Unexpected token ','",
    );

    // RunStarted records the code each strategy ran.
    const journal = await openJournalToRead(loadSettings({}), data.path, 'test');
    let run: RunStarted | undefined;
    const orders: { strategyId: string; orderType: string; bracket?: unknown }[] = [];
    for await (const r of journal.read(1)) {
      if (r.type === 'RunStarted') run = r.data as RunStarted;
      if (r.type === 'SubmitOrder') orders.push(r.data as never);
    }
    await journal.close();
    const text = readFileSync(file!, 'utf8');
    expect(run!.strategies.map((s) => s.code)).toEqual([
      { 'my_cross.ts': sha256(text) },
      { 'half_written.ts': sha256(readFileSync(join(dir.path, 'half_written.ts'))) },
    ]);
    expect(orders.every((o) => o.strategyId === 'mine')).toBe(true);
    expect(orders.some((o) => o.orderType === 'LIMIT' && o.bracket !== undefined)).toBe(true);

    // Same code: replay reproduces the run's fingerprint, and no code changed.
    const same = await replay(dir.path, data.path);
    expect(same.divergences).toBe(0);
    expect(same.fingerprint).toBe(result.fingerprint);
    expect(same.fingerprint).toBe(same.recordedFingerprint);
    expect(same.codeChanges).toBeUndefined();
    expect(same.orderDiff).toBeUndefined();

    // A counterfactual's parameter is checked against the file's own schema.
    const transport = await openJournalToRead(loadSettings({}), data.path, 'replay');
    await expect(
      runReplay(transport, {
        registry: loadStrategyRegistry(dir.path).registry,
        set: [{ strategyId: 'mine', param: 'quantty', value: 7 }],
      }),
    ).rejects.toThrow(/unknown parameter "quantty"; did you mean "quantity"\?/);
    await transport.close();

    // Edited: quantity 5 becomes 7 in every entry. A counterfactual, not divergences.
    const edited = text.replace(
      "return limit('BUY', p.quantity, entry",
      "return limit('BUY', p.quantity + 2, entry",
    );
    expect(edited).not.toBe(text);
    writeFileSync(file!, edited);
    const changed = await replay(dir.path, data.path);
    expect(changed.codeChanges).toEqual([
      { strategyId: 'mine', path: 'my_cross.ts', recorded: sha256(text), current: sha256(edited) },
    ]);
    expect(changed.divergences).toBe(0);
    expect(changed.fingerprint).not.toBe(changed.recordedFingerprint);
    const diff = changed.orderDiff!;
    expect(diff.changed.length).toBeGreaterThan(0);
    expect(diff.changed[0]!.recorded.quantity).toBe(5);
    expect(diff.changed[0]!.replayed.quantity).toBe(7);

    // A file gone is a change too: its strategy cannot run, so no order is replayed.
    rmSync(file!);
    const gone = await replay(dir.path, data.path);
    expect(gone.codeChanges![0]).toEqual({
      strategyId: 'mine',
      path: 'my_cross.ts',
      recorded: sha256(text),
      current: null,
    });
    expect(gone.orderDiff!.removed.length).toBe(orders.length);
  });
});
