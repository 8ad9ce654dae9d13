import { describe, expect, it } from 'vitest';
import type { SignalIntent } from '../strategy.js';
import { conservative, majorityVote } from './policies.js';

const intent = (side: 'BUY' | 'SELL', quantity: number, confidence: number): SignalIntent => ({
  side,
  quantity,
  confidence,
  reasoning: `${side} ${quantity}`,
});

describe('majority_vote', () => {
  it('on agreement takes the larger quantity at the mean confidence + 0.1', () => {
    const s = majorityVote(intent('BUY', 10, 0.5), intent('BUY', 20, 0.7), 0.6)!;
    expect(s).toMatchObject({ side: 'BUY', quantity: 20 });
    expect(s.confidence).toBeCloseTo(0.7, 12); // (0.5 + 0.7)/2 + 0.1
    expect(s.reasoning).toBe('rules and model agree: BUY 10 | BUY 20');
    // (0.95 + 0.9)/2 + 0.1 = 1.025, capped
    expect(majorityVote(intent('SELL', 5, 0.95), intent('SELL', 5, 0.9), 0.6)!.confidence).toBe(1);
  });

  it('else follows a confident model, else the rules, else the model at 0.8', () => {
    expect(majorityVote(intent('BUY', 10, 0.5), intent('SELL', 20, 0.6), 0.6)).toMatchObject({
      side: 'SELL',
      quantity: 20,
      confidence: 0.6, // ≥ min_ml_confidence: the model
    });
    expect(majorityVote(intent('BUY', 10, 0.5), intent('SELL', 20, 0.55), 0.6)).toMatchObject({
      side: 'BUY',
      quantity: 10,
      confidence: 0.5,
      reasoning: 'rules: BUY 10',
    });
    const low = majorityVote(null, intent('SELL', 20, 0.55), 0.6)!;
    expect(low).toMatchObject({ side: 'SELL', quantity: 20 });
    expect(low.confidence).toBeCloseTo(0.44, 12); // 0.55 × 0.8
    expect(majorityVote(null, null, 0.6)).toBeNull();
  });
});

describe('conservative', () => {
  it('signals only on agreement, the smaller quantity at the mean confidence + 0.2', () => {
    const s = conservative(intent('BUY', 10, 0.5), intent('BUY', 20, 0.7))!;
    expect(s).toMatchObject({ side: 'BUY', quantity: 10 });
    expect(s.confidence).toBeCloseTo(0.8, 12); // (0.5 + 0.7)/2 + 0.2
    expect(conservative(intent('BUY', 10, 0.5), intent('SELL', 20, 0.9))).toBeNull();
    expect(conservative(intent('BUY', 10, 0.9), null)).toBeNull();
    expect(conservative(null, intent('BUY', 10, 0.9))).toBeNull();
  });
});
