import { describe, expect, it } from 'vitest';
import { expectOnly, parseArgs } from './args.js';

const backtest = { name: 'backtest', options: [{ name: 'ticks' }, { name: 'seed' }] };

function refusal(argv: string[], command = backtest): string {
  try {
    expectOnly(parseArgs(argv), command);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expectOnly accepted the options');
}

describe('expectOnly', () => {
  it('refuses an unknown option, naming the nearest and the others', () => {
    expect(() => expectOnly(parseArgs(['--ticks', '5', '--seed=2']), backtest)).not.toThrow();
    expect(refusal(['--tick', '5'])).toBe(
      'backtest: unknown option --tick; did you mean --ticks? (its options are --ticks, --seed; see `node dist/main.js backtest --help`)',
    );
  });

  it('names each unknown option, suggesting only what is near', () => {
    expect(refusal(['--sed', '1', '--verbose'])).toBe(
      'backtest: unknown option --sed; did you mean --seed?; unknown option --verbose (its options are --ticks, --seed; see `node dist/main.js backtest --help`)',
    );
  });

  it('says when a command takes no options', () => {
    expect(refusal(['--port', '1'], { name: 'start', options: [] })).toBe(
      'start: unknown option --port (it takes no options; see `node dist/main.js start --help`)',
    );
  });
});
