import { describe, expect, it } from 'vitest';
import {
  clientOrderId,
  clientOrderIdOf,
  MAX_JOURNAL_EPOCH,
  isBroker,
  parseClientOrderId,
  parseStrategyId,
  strategyId,
} from './ids.js';

/** Kite's `tag`: alphanumeric, at most 20 characters. */
const KITE_TAG = /^[A-Za-z0-9]{1,20}$/;

describe('client order ids', () => {
  it('accepts exactly what fits Kite’s tag', () => {
    expect(parseClientOrderId('P00000001')).toEqual({ ok: true, value: 'P00000001' });
    expect(parseClientOrderId('a'.repeat(20)).ok).toBe(true);
    for (const bad of ['', 'a'.repeat(21), 'P-1', 'P_1', 'P 1', 'Pé1', 'P.1']) {
      expect(parseClientOrderId(bad).ok, JSON.stringify(bad)).toBe(false);
      expect(() => clientOrderId(bad)).toThrow(/1-20 alphanumeric characters/);
    }
  });

  it('builds ids that fit Kite’s tag, distinct per broker, journal, epoch and seq', () => {
    const seen = new Set<string>();
    const scopes = [
      { nonce: 0, epoch: 0 },
      { nonce: 2 ** 34 - 1, epoch: 0 },
      { nonce: 12_345, epoch: 1 },
      { nonce: 12_345, epoch: MAX_JOURNAL_EPOCH },
    ];
    for (const scope of scopes)
      for (let seq = 1; seq <= 5_000; seq++)
        for (const b of ['paper', 'zerodha'] as const) {
          const id = clientOrderIdOf(b, scope, seq);
          expect(id).toHaveLength(18);
          expect(KITE_TAG.test(id)).toBe(true);
          seen.add(id);
        }
    expect(seen.size).toBe(4 * 5_000 * 2);
  });

  it('spells out its parts: broker letter, nonce, epoch and seq in base 36', () => {
    expect(clientOrderIdOf('zerodha', { nonce: 35, epoch: 36 }, 36 ** 8 - 1)).toBe(
      'Z000000Z10ZZZZZZZZ',
    );
  });

  it('refuses a nonce, epoch or seq it cannot spell in 18 characters', () => {
    const ok = { nonce: 1, epoch: 0 };
    expect(() => clientOrderIdOf('paper', ok, 0)).toThrow(TypeError);
    expect(() => clientOrderIdOf('paper', ok, 1.5)).toThrow(TypeError);
    expect(() => clientOrderIdOf('paper', ok, 36 ** 8)).toThrow(TypeError);
    expect(() => clientOrderIdOf('paper', { nonce: 2 ** 34, epoch: 0 }, 1)).toThrow(TypeError);
    expect(() => clientOrderIdOf('paper', { nonce: 1, epoch: MAX_JOURNAL_EPOCH + 1 }, 1)).toThrow(
      /epoch/,
    );
  });
});

describe('strategy ids', () => {
  it('accepts lowercase letters, digits, _ and -, 1 to 64 characters', () => {
    for (const ok of ['momentum_default', 'ema-cross-1', '0abc', 'a'.repeat(64)])
      expect(strategyId(ok)).toBe(ok);
    for (const bad of ['', 'Momentum', '_x', '-x', 'a b', 'a'.repeat(65), 'a.b']) {
      const r = parseStrategyId(bad);
      expect(r.ok, JSON.stringify(bad)).toBe(false);
      if (!r.ok) expect(r.error).toContain(JSON.stringify(bad));
    }
  });
});

describe('isBroker', () => {
  it('knows paper and zerodha only', () => {
    expect(['paper', 'zerodha', 'shared', 'PAPER', ''].map(isBroker)).toEqual([
      true,
      true,
      false,
      false,
      false,
    ]);
  });
});
