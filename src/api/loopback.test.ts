import { describe, expect, it } from 'vitest';
import { isLoopbackHost } from './loopback.js';

describe('isLoopbackHost', () => {
  it('takes 127.0.0.0/8, ::1 in its spellings and localhost', () => {
    for (const h of [
      '127.0.0.1',
      '127.255.0.9',
      'localhost',
      'LocalHost',
      '::1',
      '[::1]',
      '0:0:0:0:0:0:0:1',
      '::ffff:127.0.0.1',
    ])
      expect(isLoopbackHost(h), h).toBe(true);
  });

  it('refuses every other address and any host name', () => {
    for (const h of [
      '0.0.0.0',
      '::',
      '128.0.0.1',
      '10.0.0.5',
      '192.168.1.2',
      '::ffff:10.0.0.1',
      'fe80::1',
      'alpha.lan',
      'localhost.evil.example',
      '127.0.0.1.nip.io',
      '127.1',
      '',
    ])
      expect(isLoopbackHost(h), h).toBe(false);
  });
});
