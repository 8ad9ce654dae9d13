/**
 * A run journals the charges it trades with: the zerodha rates of CONFIG_DIR's charges file as
 * they were when it started, so `replay` reproduces it after the file has changed.
 */
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunStarted } from '../../src/model/index.js';
import { zerodhaRates } from '../helpers/charges.js';
import { readLmdbJournal, ROOT, tempConfigDir, tempDir } from '../helpers/system.js';

const exec = promisify(execFile);
const dirs: { remove: () => void }[] = [];
afterAll(() => dirs.forEach((d) => d.remove()));

async function main(args: string[], env: Record<string, string>): Promise<unknown> {
  const { stdout } = await exec(process.execPath, [join(ROOT, 'dist', 'main.js'), ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
  });
  return JSON.parse(stdout) as unknown;
}

async function runStarted(dataDir: string): Promise<RunStarted> {
  const records = await readLmdbJournal(dataDir);
  const first = records.find((r) => r.type === 'RunStarted');
  expect(first, 'no RunStarted in the journal').toBeDefined();
  return first!.data as RunStarted;
}

describe("a run's charges in its journal", () => {
  it('records the zerodha rates, and replays at them after the charges file changed', async () => {
    const config = tempConfigDir(readFileSync(join(ROOT, 'config', 'strategies.yaml'), 'utf8'));
    const data = tempDir('ap-charges-run-');
    dirs.push(config, data);
    const env = { CONFIG_DIR: config.path };
    const result = (await main(
      ['backtest', '--ticks', '20000', '--seed', '3', '--data-dir', data.path],
      env,
    )) as { fills: number };
    expect(result.fills).toBeGreaterThan(0);
    const run = await runStarted(data.path);
    expect(run.brokers.map((b) => b.paper.charges)).toEqual([
      { kind: 'zerodha', rates: zerodhaRates() },
    ]);

    const file = join(config.path, 'charges', 'zerodha-equity.yaml');
    const text = readFileSync(file, 'utf8');
    const changed = text.replace(/^gst_percent: \d+$/m, 'gst_percent: 28');
    expect(changed).not.toBe(text);
    writeFileSync(file, changed);
    const replayed = (await main(['replay', '--data-dir', data.path], env)) as {
      divergences: number;
      fingerprint: string;
      recordedFingerprint: string;
    };
    expect(replayed.divergences).toBe(0);
    expect(replayed.fingerprint).toBe(replayed.recordedFingerprint);
  }, 120_000);

  it('records the flat model by its percent', async () => {
    const data = tempDir('ap-charges-flat-');
    dirs.push(data);
    await main(['backtest', '--ticks', '1000', '--data-dir', data.path], {
      PAPER_TRADING__CHARGES_MODEL: 'flat',
      PAPER_TRADING__COMMISSION_PERCENT: '0.03',
    });
    const run = await runStarted(data.path);
    expect(run.brokers.map((b) => b.paper.charges)).toEqual([{ kind: 'flat', percent: '0.03' }]);
  }, 60_000);
});
