/**
 * The live latency benchmark's configuration folder: a copy of config/ whose strategies trade
 * often on the mock feed (one ema_cross per tradable instrument, short bars) and whose market
 * rules let the paper account place more than Kite's 10 orders a second, so a run of 20-30 s has
 * enough orders for a p99.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Tuning of the benchmark's strategies. */
export interface BenchStrategyOptions {
  /** Ticks per bar of every ema_cross (default 25: at 10,000 ticks/s, 20 bars a second per instrument and about 70 orders a second in all). */
  readonly barTicks?: number;
  /** Fast and slow EMA periods in bars (default 3 and 8). */
  readonly fastPeriod?: number;
  readonly slowPeriod?: number;
  /** Orders per second the market rules allow the paper account (default 1,000). */
  readonly ordersPerSecond?: number;
}

/** A temporary CONFIG_DIR and how to remove it. */
export interface BenchConfig {
  readonly dir: string;
  /** The strategies' instrument tokens (one ema_cross each). */
  readonly tokens: readonly number[];
  remove(): void;
}

/** The tradable (non-index) instrument tokens of an instruments.csv. */
export function tradableTokens(csv: string): number[] {
  const rows = csv.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'));
  const header = rows.shift()?.split(',') ?? [];
  const token = header.indexOf('instrument_token');
  const segment = header.indexOf('segment');
  if (token < 0 || segment < 0)
    throw new Error(`instruments.csv needs instrument_token and segment columns, has ${header}`);
  return rows
    .map((r) => r.split(','))
    .filter((c) => c[segment] !== 'INDICES')
    .map((c) => Number(c[token]));
}

/** The strategies.yaml of the benchmark: one ema_cross per token on the paper broker. */
export function strategiesYaml(tokens: readonly number[], o: BenchStrategyOptions = {}): string {
  const p = `{ fast_period: ${o.fastPeriod ?? 3}, slow_period: ${o.slowPeriod ?? 8}, bar_ticks: ${o.barTicks ?? 25}, quantity: 1 }`;
  const rows = tokens.map(
    (t) =>
      `  - id: ema_${t}\n    type: ema_cross\n    brokers: [paper]\n    instruments: [${t}]\n    parameters: ${p}`,
  );
  return `strategies:\n${rows.join('\n')}\n`;
}

/** market-rules.yaml with the account's order rate raised to `perSecond` (the rest as shipped). */
export function raiseOrderRate(rules: string, perSecond: number): string {
  const block = /order_rate:\n(?:\s+#.*\n)*\s+per_second: \d+\n\s+per_minute: \d+\n\s+per_day: \d+/;
  if (!block.test(rules))
    throw new Error('market-rules.yaml has no order_rate block of the expected form');
  return rules.replace(
    block,
    `order_rate:\n  per_second: ${perSecond}\n  per_minute: ${perSecond * 60}\n  per_day: ${perSecond * 86_400}`,
  );
}

/** Copies `fromDir` (the repository's config/) to a temp folder and writes the benchmark's files. */
export function benchConfig(fromDir: string, o: BenchStrategyOptions = {}): BenchConfig {
  const dir = mkdtempSync(join(tmpdir(), 'ap-bench-live-config-'));
  cpSync(fromDir, dir, { recursive: true });
  const tokens = tradableTokens(readFileSync(join(dir, 'instruments.csv'), 'utf8'));
  writeFileSync(join(dir, 'strategies.yaml'), strategiesYaml(tokens, o));
  const rules = readFileSync(join(dir, 'market-rules.yaml'), 'utf8');
  writeFileSync(join(dir, 'market-rules.yaml'), raiseOrderRate(rules, o.ordersPerSecond ?? 1000));
  return { dir, tokens, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
