import { describe, expect, it } from 'vitest';
import { paise } from '../../model/index.js';
import { applySlippage } from './slippage.js';

describe('applySlippage', () => {
  it('makes a BUY pay more and a SELL receive less', () => {
    // 5 bps of 157,370 = 78.685 → 79 paise.
    expect(applySlippage('BUY', paise(157_370), 5)).toBe(157_449);
    expect(applySlippage('SELL', paise(157_370), 5)).toBe(157_291);
  });

  it('rounds the move half away from zero to the paisa', () => {
    // 5 bps of 1,000 = 0.5 → 1; of 999 = 0.4995 → 0.
    expect(applySlippage('BUY', paise(1_000), 5)).toBe(1_001);
    expect(applySlippage('SELL', paise(1_000), 5)).toBe(999);
    expect(applySlippage('BUY', paise(999), 5)).toBe(999);
  });

  it('leaves the price alone at 0 bps', () => {
    expect(applySlippage('SELL', paise(157_370), 0)).toBe(157_370);
  });
});
