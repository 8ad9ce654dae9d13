import { describe, expect, it } from 'vitest';
import {
  clientOrderId,
  clientOrderIdFor,
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

  it('builds ids that fit Kite’s tag and are distinct per broker and n', () => {
    const seen = new Set<string>();
    for (let n = 1; n <= 50_000; n++) {
      for (const b of ['paper', 'zerodha'] as const) {
        const id = clientOrderIdFor(b, n);
        expect(KITE_TAG.test(id)).toBe(true);
        seen.add(id);
      }
    }
    expect(seen.size).toBe(100_000);
  });

  it('stays valid and distinct for very large n', () => {
    const ns = [2 ** 31, 2 ** 32, 36 ** 8 - 1, 36 ** 8, 2 ** 48, Number.MAX_SAFE_INTEGER];
    const ids = ns.map((n) => clientOrderIdFor('zerodha', n));
    for (const id of ids) expect(id).toMatch(KITE_TAG);
    expect(new Set(ids).size).toBe(ns.length);
  });

  it('sorts in placement order while the counter fits 8 base-36 digits', () => {
    const ids = [1, 9, 10, 35, 36, 1_000, 36 ** 8 - 1].map((n) => clientOrderIdFor('paper', n));
    expect([...ids].sort()).toEqual(ids);
  });

  it('refuses a counter that is not a non-negative integer', () => {
    expect(() => clientOrderIdFor('paper', -1)).toThrow(TypeError);
    expect(() => clientOrderIdFor('paper', 1.5)).toThrow(TypeError);
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
