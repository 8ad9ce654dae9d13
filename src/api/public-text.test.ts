import { describe, expect, it } from 'vitest';
import { publicError, publicText } from './public-text.js';

describe('publicText', () => {
  it('hides absolute local paths, with their line and column', () => {
    expect(publicText("ENOENT: no such file or directory, open '/home/u/alpha/x.json'")).toBe(
      "ENOENT: no such file or directory, open '<path>'",
    );
    expect(publicText('cannot load /srv/app/dist/a.js:12:5 now')).toBe('cannot load <path> now');
    expect(publicText('see file:///srv/app/a.js:3')).toBe('see <path>');
    expect(publicText('at C:\\Users\\u\\a.js:1:2')).toBe('at <path>');
    expect(publicText('(/tmp/x/y)')).toBe('(<path>)');
  });

  it('leaves URLs, topics, addresses and ratios alone', () => {
    for (const s of [
      'redis unavailable at 127.0.0.1:6379/0',
      'fetch http://host:8080/api/v1/dlq failed',
      'ratio a/b/c and 3/4',
      'RangeError: Invalid array length',
      'no DLQ topic paper.signals.raw/x',
    ])
      expect(publicText(s)).toBe(s);
  });
});

describe('publicError', () => {
  it('keeps name and message only', () => {
    const e = {
      name: 'RangeError',
      message: 'boom in /a/b.js',
      stack: 'RangeError\n at /a/b.js:1',
    };
    expect(publicError(e)).toEqual({ name: 'RangeError', message: 'boom in <path>' });
  });
});
