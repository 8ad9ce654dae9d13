/**
 * `npx tsx scripts/train-models.ts`: trains the sample models of the model strategies and writes
 * them to strategies/models/ (momentum_v1.json, mean_reversion_v1.json, breakout_v1.json).
 *
 * Data: the seeded mock market (src/feed/mock), six scenarios, four stocks, 3,000 ticks each.
 * Rows: each strategy's features over its default window, every third tick; label 1 when the
 * price HORIZON ticks later is higher than now, else 0. Training: plain gradient descent
 * (src/strategies/model/train-logistic.ts). Everything is seeded, so every run writes the same
 * bytes (a test retrains and compares with the committed files).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { format } from 'prettier';
import { MockMarket, type MockScenario } from '../src/feed/index.js';
import { parseInstrumentsCsv } from '../src/model/index.js';
import { SeededRandom } from '../src/runtime/index.js';
import {
  BREAKOUT_FEATURES,
  MEAN_REVERSION_FEATURES,
  MOMENTUM_FEATURES,
  trainLogistic,
  type FeatureSet,
} from '../src/strategies/model/index.js';

const SEED = 20_260_105;
const TICKS = 3_000;
const HORIZON = 10;
const STEP = 3;
const SCENARIOS: readonly MockScenario[] = [
  'normal',
  'trending_bull',
  'trending_bear',
  'ranging',
  'breakout',
  'reversal',
];
/** Fixed here (not read from config/) so that editing the universe does not change the models. */
const STOCKS = parseInstrumentsCsv(
  [
    'instrument_token,tradingsymbol,name,exchange,tick_size,lot_size,ref_price,segment',
    '738561,RELIANCE,RELIANCE INDUSTRIES,NSE,0.05,1,1420.00,NSE',
    '2953217,TCS,TATA CONSULTANCY SERVICES,NSE,0.05,1,3150.00,NSE',
    '341249,HDFCBANK,HDFC BANK,NSE,0.05,1,1990.00,NSE',
    '408065,INFY,INFOSYS,NSE,0.05,1,1580.00,NSE',
  ].join('\n'),
  'train-models',
);
/** 2026-01-05 09:15 IST, one tick a second per instrument. */
const START_MS = Date.parse('2026-01-05T09:15:00+05:30');

/** The models: file name, feature set, window (the strategy's default lookback). */
const MODELS: ReadonlyArray<{ file: string; type: string; features: FeatureSet; window: number }> =
  [
    { file: 'momentum_v1.json', type: 'ml_momentum', features: MOMENTUM_FEATURES, window: 20 },
    {
      file: 'mean_reversion_v1.json',
      type: 'ml_mean_reversion',
      features: MEAN_REVERSION_FEATURES,
      window: 20,
    },
    { file: 'breakout_v1.json', type: 'ml_breakout', features: BREAKOUT_FEATURES, window: 30 },
  ];

/** Every price series (paise) of the training data: one per scenario and stock. */
export function trainingSeries(): number[][] {
  const out: number[][] = [];
  const root = new SeededRandom(SEED);
  for (const scenario of SCENARIOS) {
    const market = new MockMarket(STOCKS, root.fork(`train:${scenario}`), {
      scenario,
      ticksPerDay: TICKS,
    });
    const series = STOCKS.map(() => [] as number[]);
    for (let t = 0; t < TICKS; t++) {
      for (let i = 0; i < STOCKS.length; i++) {
        series[i]!.push(market.nextFor(i, START_MS + t * 1000).lastPrice);
      }
    }
    out.push(...series);
  }
  return out;
}

/** The sample model files, by file name, as the script writes them (Prettier-formatted JSON). */
export async function trainSampleModels(): Promise<Record<string, string>> {
  const data = trainingSeries();
  const files: Record<string, string> = {};
  for (const m of MODELS) {
    const rows: number[][] = [];
    const labels: (0 | 1)[] = [];
    for (const ps of data) {
      for (let t = m.window - 1; t + HORIZON < ps.length; t += STEP) {
        rows.push(m.features.compute(ps.slice(t - m.window + 1, t + 1)));
        labels.push(ps[t + HORIZON]! > ps[t]! ? 1 : 0);
      }
    }
    const description =
      `Sample model for ${m.type} (lookback_periods ${m.window}): logistic regression trained by ` +
      `scripts/train-models.ts on the seeded mock market (${SCENARIOS.length} scenarios, ` +
      `${STOCKS.length} stocks, ${TICKS} ticks each, ${rows.length} rows); label 1 when the ` +
      `price ${HORIZON} ticks later is higher. A demonstration, not a trading model.`;
    const model = trainLogistic(m.features.names, rows, labels, undefined, description);
    files[m.file] = await format(JSON.stringify(model), {
      parser: 'json',
      printWidth: 100,
      filepath: m.file,
    });
  }
  return files;
}

/** Where the script writes them: STRATEGIES_DIR's default, strategies/models/. */
export const MODELS_DIR = join(import.meta.dirname, '..', 'strategies', 'models');

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const files = await trainSampleModels();
  for (const [name, text] of Object.entries(files)) {
    writeFileSync(join(MODELS_DIR, name), text);
    console.log(`wrote ${join('strategies', 'models', name)}`);
  }
}
