import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ZERODHA_RATES_FILE, zerodhaRates } from '../../test/helpers/charges.js';
import { instruments, ROOT, tempDir } from '../../test/helpers/system.js';
import type { PaperBroker } from '../brokers/index.js';
import { loadSettings } from '../config/index.js';
import { paise, type BrokerSpec } from '../model/index.js';
import { ConfigError, InputClock, JournalUnusable } from '../runtime/index.js';
import { brokerSetups } from './compose.js';
import { chargesModel, chargesSpec, quoteCharges } from './paper-charges.js';
import { runSpec } from './run-spec.js';

const CONFIG = join(ROOT, 'config');
const dirs: { remove: () => void }[] = [];
afterAll(() => dirs.forEach((d) => d.remove()));

/** A CONFIG_DIR holding a copy of the project's charges file. */
function configCopy(): string {
  const d = tempDir('ap-charges-');
  dirs.push(d);
  mkdirSync(join(d.path, 'charges'));
  copyFileSync(ZERODHA_RATES_FILE, join(d.path, 'charges', 'zerodha-equity.yaml'));
  return d.path;
}

const settings = (env: Record<string, string>) => loadSettings({ CONFIG_DIR: CONFIG, ...env });

describe('chargesSpec', () => {
  it('records the flat model by its percent text', () => {
    const s = settings({
      PAPER_TRADING__CHARGES_MODEL: 'flat',
      PAPER_TRADING__COMMISSION_PERCENT: '0.03',
    });
    expect(chargesSpec(s)).toEqual({ kind: 'flat', percent: '0.03' });
  });

  it("records the zerodha model with the rates of CONFIG_DIR's charges file", () => {
    const s = settings({ PAPER_TRADING__CHARGES_MODEL: 'zerodha' });
    expect(chargesSpec(s)).toEqual({ kind: 'zerodha', rates: zerodhaRates() });
  });

  it("uses the package's own charges file when CONFIG_DIR has none", () => {
    const empty = tempDir('ap-charges-empty-');
    dirs.push(empty);
    const env = { CONFIG_DIR: empty.path, PAPER_TRADING__CHARGES_MODEL: 'zerodha' };
    expect(chargesSpec(loadSettings(env))).toEqual({ kind: 'zerodha', rates: zerodhaRates() });
    const flat = loadSettings({ ...env, PAPER_TRADING__CHARGES_MODEL: 'flat' });
    expect(chargesSpec(flat).kind).toBe('flat');
  });

  it('refuses a damaged charges file in CONFIG_DIR, naming it, rather than falling back', () => {
    const dir = configCopy();
    const file = join(dir, 'charges', 'zerodha-equity.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^gst_percent:/m, 'gst_percnt:'));
    const s = loadSettings({ CONFIG_DIR: dir, PAPER_TRADING__CHARGES_MODEL: 'zerodha' });
    expect(() => chargesSpec(s)).toThrow(ConfigError);
    expect(() => chargesSpec(s)).toThrow(file);
  });
});

describe("a run's charges", () => {
  it('travel in RunStarted, so its brokers charge the recorded rates after the file changes', () => {
    const dir = configCopy();
    const file = join(dir, 'charges', 'zerodha-equity.yaml');
    const s = loadSettings({
      CONFIG_DIR: dir,
      ACTIVE_BROKERS: 'paper',
      PAPER_TRADING__CHARGES_MODEL: 'zerodha',
    });
    const run = runSpec(s, instruments(), [], 7);
    const recorded = zerodhaRates();
    expect(run.brokers.map((b) => b.paper.charges)).toEqual([{ kind: 'zerodha', rates: recorded }]);

    // The file changes after the run started; a rebuild (recovery, replay) must not see it.
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.replace(/^gst_percent: \d+$/m, 'gst_percent: 28'));
    expect(chargesSpec(s)).toMatchObject({ rates: { gstPercent: 28 } });
    const journaled = JSON.parse(JSON.stringify(run)) as typeof run;
    const [setup] = brokerSetups(journaled, new InputClock());
    expect((setup!.adapter as PaperBroker).config.charges).toEqual({
      kind: 'zerodha',
      rates: recorded,
    });
  });

  it('refuse to be rebuilt from a zerodha spec journaled without its rates', () => {
    const legacy = { kind: 'zerodha' } as unknown as BrokerSpec['paper']['charges'];
    expect(() => chargesModel(legacy)).toThrow(JournalUnusable);
    expect(() => chargesModel(legacy)).toThrow(/without its rates.*the build that wrote it/);
    expect(chargesModel({ kind: 'flat', percent: '0.1' })).toEqual({ kind: 'flat', percent: 0.1 });
  });
});

describe('quoteCharges', () => {
  it('computes a fill as a run under the same settings would, DP on a first sell', () => {
    const s = settings({ PAPER_TRADING__CHARGES_MODEL: 'zerodha' });
    const sell = { side: 'SELL', product: 'CNC', quantity: 100, price: paise(100_000) } as const;
    const first = quoteCharges(s, { ...sell, firstSellToday: true });
    expect(first.spec).toEqual(chargesSpec(s));
    expect(first.charges).toMatchObject({ dp: 1_534, total: 11_896 });
    expect(quoteCharges(s, { ...sell, firstSellToday: false }).charges).toMatchObject({
      dp: 0,
      total: 10_362,
    });
    const flat = settings({ PAPER_TRADING__CHARGES_MODEL: 'flat' });
    expect(quoteCharges(flat, { ...sell, firstSellToday: true }).charges).toMatchObject({
      dp: 0,
      total: 10_000,
    });
  });
});
