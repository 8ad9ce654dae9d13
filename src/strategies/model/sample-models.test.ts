import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MODELS_DIR, trainSampleModels } from '../../../scripts/train-models.js';

describe('sample models', () => {
  it('retraining (npx tsx scripts/train-models.ts) reproduces the committed files byte for byte', async () => {
    const files = await trainSampleModels();
    expect(Object.keys(files).sort()).toEqual([
      'breakout_v1.json',
      'mean_reversion_v1.json',
      'momentum_v1.json',
    ]);
    for (const [name, text] of Object.entries(files)) {
      expect(readFileSync(join(MODELS_DIR, name), 'utf8'), name).toBe(text);
    }
  });
});
