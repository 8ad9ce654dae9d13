import { describe, expect, it } from 'vitest';
import { didYouMean, editDistance, nearest } from './nearest.js';

describe('editDistance', () => {
  it.each([
    ['', '', 0],
    ['abc', 'abc', 0],
    ['', 'abc', 3],
    ['tick', 'ticks', 1],
    ['paramters', 'parameters', 1],
    ['strat', 'start', 1],
    ['kitten', 'sitting', 3],
    ['ca', 'abc', 3],
    ['PGPORT', 'PORT', 2],
    ['HOSTNAME', 'HOST', 4],
  ])('%s → %s is %i', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
    expect(editDistance(b, a)).toBe(d);
  });

  it('measures an abbreviation against the nearest prefix', () => {
    expect(editDistance('RISK__MAX_POSITON', 'RISK__MAX_POSITION_PER_INSTRUMENT', true)).toBe(1);
    expect(editDistance('RISK__MAX_POSITON', 'RISK__MAX_POSITION_PER_INSTRUMENT')).toBe(16);
  });
});

describe('nearest', () => {
  const options = ['ticks', 'seed', 'batch', 'data-dir'];

  it('names the nearest candidate within the default distance', () => {
    expect(nearest('tick', options)).toBe('ticks');
    expect(nearest('data_dir', options)).toBe('data-dir');
    expect(nearest('sede', options)).toBe('seed');
    expect(nearest('fast_perod', ['fast_period', 'slow_period'])).toBe('fast_period');
  });

  it('names nothing when every candidate is far', () => {
    expect(nearest('verbose', options)).toBeUndefined();
    expect(nearest('x', ['api', 'dlq'])).toBeUndefined();
  });

  it('takes a maximum per candidate', () => {
    const max = (c: string) => (c.length <= 8 ? 1 : 2);
    expect(nearest('PGPORT', ['PORT', 'HOST'], { maxDistance: max })).toBeUndefined();
    expect(nearest('PORTT', ['PORT', 'HOST'], { maxDistance: max })).toBe('PORT');
    expect(nearest('DATABSE_UR', ['DATABASE_URL'], { maxDistance: max })).toBe('DATABASE_URL');
  });

  it('reads abbreviations only when asked', () => {
    const risk = ['RISK__MIN_QUANTITY', 'RISK__MAX_POSITION_PER_INSTRUMENT', 'RISK__MAX_QUANTITY'];
    // By whole names alone the shorter, unrelated name is nearer.
    expect(nearest('RISK__MAX_POSITON', risk, { maxDistance: Infinity })).toBe(
      'RISK__MAX_QUANTITY',
    );
    expect(nearest('RISK__MAX_POSITON', risk, { maxDistance: Infinity, abbreviations: true })).toBe(
      'RISK__MAX_POSITION_PER_INSTRUMENT',
    );
    expect(nearest('RISK__MAX_QTY', risk, { maxDistance: Infinity, abbreviations: true })).toBe(
      'RISK__MAX_QUANTITY',
    );
  });

  it('prefers an exact match and, among equals, the earlier candidate', () => {
    expect(nearest('seed', ['sees', 'seed'])).toBe('seed');
    expect(nearest('ab', ['ac', 'ad'])).toBe('ac');
  });
});

describe('didYouMean', () => {
  it('phrases the suggestion, or nothing', () => {
    expect(didYouMean('paramters', ['id', 'parameters'])).toBe('; did you mean "parameters"?');
    expect(didYouMean('tick', ['ticks'], (s) => `--${s}`)).toBe('; did you mean --ticks?');
    expect(didYouMean('zzz', ['ticks'])).toBe('');
  });
});
