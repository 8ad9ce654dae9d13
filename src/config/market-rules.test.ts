import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../runtime/index.js';
import { loadMarketRules } from './market-rules.js';

const shipped = readFileSync('config/market-rules.yaml', 'utf8');

function withRules(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'ap-rules-'));
  writeFileSync(join(dir, 'market-rules.yaml'), text);
  return dir;
}

describe('loadMarketRules', () => {
  it("reads the shipped file: Kite's rate limits, 25 modifications, 10 slices, MIS at 15:20", () => {
    expect(loadMarketRules('config')).toMatchObject({
      ordersPerSecond: 10,
      ordersPerMinute: 400,
      ordersPerDay: 5000,
      maxModifications: 25,
      maxSlices: 10,
      marketProtectionBps: 200,
      misSquareOffMinute: 15 * 60 + 20,
      misEntryCutoffMinute: 15 * 60 + 15,
    });
  });

  it('refuses a misspelled key, naming the nearest valid one', () => {
    const dir = withRules(shipped.replace('per_minute:', 'per_minuet:'));
    expect(() => loadMarketRules(dir)).toThrow(ConfigError);
    expect(() => loadMarketRules(dir)).toThrow(
      /unknown key "per_minuet" in order_rate; did you mean "per_minute"\?/,
    );
  });

  it('refuses a market protection of 0 (SEBI 2026) and a time that is not HH:MM', () => {
    const zero = withRules(
      shipped.replace(/market_protection_percent: \d+/, 'market_protection_percent: 0'),
    );
    expect(() => loadMarketRules(zero)).toThrow(
      /orders.market_protection_percent: must be above 0/,
    );
    const time = withRules(shipped.replace("square_off: '15:20'", "square_off: '3:20 pm'"));
    expect(() => loadMarketRules(time)).toThrow(
      /mis.square_off: expected a time of day as "HH:MM"/,
    );
  });

  it("falls back to the package's own file when CONFIG_DIR has none", () => {
    const dir = mkdtempSync(join(tmpdir(), 'ap-rules-'));
    expect(loadMarketRules(dir)).toEqual(loadMarketRules('config'));
  });
});
