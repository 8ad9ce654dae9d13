import { describe, expect, it } from 'vitest';
import { loadSettings } from '../config/index.js';
import type { RunStarted, StrategyConfig } from '../model/index.js';
import { compareRuns } from './run-config.js';
import { runSpec } from './run-spec.js';

const cfg: StrategyConfig = {
  id: 'mine',
  type: 'momentum',
  params: {},
  instruments: [],
  brokers: ['paper'],
  enabled: true,
};

/** A run whose strategy recorded `code`. */
function run(code?: Record<string, string>): RunStarted {
  const r = runSpec(loadSettings({}), [], [cfg], 1);
  return { ...r, strategies: r.strategies.map((s) => (code ? { ...s, code } : s)) };
}

describe('compareRuns and strategy code', () => {
  it('continues a run whose code is the same', () => {
    expect(compareRuns(run({ 'a.ts': 'aa' }), run({ 'a.ts': 'aa' }))).toEqual({ kind: 'same' });
    expect(compareRuns(run(), run())).toEqual({ kind: 'same' });
  });

  it('starts a new run when a strategy file or a model it reads changed, appeared or went', () => {
    for (const [was, now] of [
      [{ 'a.ts': 'aa' }, { 'a.ts': 'bb' }],
      [{ 'a.ts': 'aa' }, { 'a.ts': 'aa', 'models/m.json': 'cc' }],
      [{ 'a.ts': 'aa' }, undefined],
    ] as const) {
      const c = compareRuns(run(was), run(now));
      expect(c.kind).toBe('new');
      expect(c.kind === 'new' && c.why).toMatch(
        /the code of strategy mine changed since it started/,
      );
    }
  });
});
