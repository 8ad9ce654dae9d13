import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ticksAt } from '../../../test/helpers/ticks.js';
import { NO_FILES, type StrategyEnv } from '../strategy.js';
import {
  hybridMeanReversion,
  HybridMeanReversionParams,
  hybridMomentum,
  HybridMomentumParams,
} from './index.js';

const STRATEGIES_DIR = join(import.meta.dirname, '..', '..', '..', 'strategies');
const DISK: StrategyEnv = { file: (p) => readFileSync(join(STRATEGIES_DIR, p), 'utf8') };

// 19 × 10000 then 10100. Rules (mean_reversion 20/14): the last 14 changes are 13 × 0 and
// +100, RSI 100 > 70; mean 10005, sample σ √500 = 22.36, upper band 10049.7 < 10100: SELL,
// confidence min(1, 30/20 + …) = 1. Model (mean_reversion_v1): z-score +4.25, P(0) ≈ 0.877: SELL.
const SPIKE = [...Array<number>(19).fill(10_000), 10_100];

function last(params: unknown, prices: readonly number[], position: number) {
  const p = HybridMeanReversionParams.parse(params);
  const s = hybridMeanReversion.init(p, DISK);
  let out = null;
  for (const t of ticksAt(1, prices)) out = hybridMeanReversion.onTick(s, t, p, position);
  return out;
}

describe('hybrid strategies', () => {
  it('default to the original’s policy and the sample models', () => {
    const p = HybridMomentumParams.parse({});
    expect(p).toMatchObject({ policy_type: 'majority_vote', min_ml_confidence: 0.6 });
    expect(p.rules_config).toEqual({ lookback_periods: 20, threshold: 0.01, position_size: 100 });
    expect(p.ml_config.model_path).toBe('models/momentum_v1.json');
    expect(hybridMomentum.files!(p)).toEqual(['models/momentum_v1.json']);
    const q = HybridMeanReversionParams.parse({ ml_config: { model_path: 'models/mine.json' } });
    expect(hybridMeanReversion.files!(q)).toEqual(['models/mine.json']);
  });

  it('refuses unknown names inside rules_config and ml_config', () => {
    const r = HybridMomentumParams.safeParse({ rules_config: { lookback: 5 } });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]).toMatchObject({ path: ['rules_config'], keys: ['lookback'] });
  });

  it('loads its model when it starts (the original never did), and refuses without it', () => {
    const p = HybridMeanReversionParams.parse({});
    expect(hybridMeanReversion.init(p, DISK).ml.model.features).toHaveLength(4);
    expect(() => hybridMeanReversion.init(p, NO_FILES)).toThrow(
      'models/mean_reversion_v1.json: no strategy files are available in this run',
    );
  });

  it('conservative signals when rules and model agree (never, in the original)', () => {
    const params = {
      rules_config: { position_size: 30 },
      ml_config: { position_size: 20 },
      policy_type: 'conservative',
    };
    const s = last(params, SPIKE, 50);
    expect(s).toMatchObject({ side: 'SELL', quantity: 20, confidence: 1 });
    expect(s!.reasoning).toMatch(/^rules and model agree: RSI14 100\.0 > 70 .*\| models\//);
    expect(last(params, SPIKE, 0)).toBeNull(); // neither sells what it does not hold
    expect(last({ ...params, policy_type: 'majority_vote' }, SPIKE, 50)).toMatchObject({
      side: 'SELL',
      quantity: 30,
    });
  });

  it('majority_vote follows a confident model when the rules are silent', () => {
    // bollinger_std 10: the upper band 10005 + 10 · 22.36 = 10228.6 is above 10100, so the rules
    // are silent; the model's P(0) ≈ 0.877 ≥ min_ml_confidence decides.
    const p = HybridMeanReversionParams.parse({ rules_config: { bollinger_std: 10 } });
    const s = hybridMeanReversion.init(p, DISK);
    let out = null;
    for (const t of ticksAt(1, SPIKE)) out = hybridMeanReversion.onTick(s, t, p, 10);
    expect(out).toMatchObject({ side: 'SELL', quantity: 10 });
    expect(out!.reasoning).toMatch(/^model \(confidence ≥ 0\.6\): models\/mean_reversion_v1/);
    expect(out!.confidence).toBeGreaterThan(0.6);
    expect(out!.confidence).toBeLessThan(1);
  });
});
