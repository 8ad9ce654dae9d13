import { describe, expect, it } from 'vitest';
import { loadSettings } from '../config/index.js';
import { checkRemoteExposure } from './remote-exposure.js';

describe('checkRemoteExposure', () => {
  it('allows open reads on every loopback HOST', () => {
    for (const HOST of ['127.0.0.1', '::1', 'localhost', '127.1.2.3'])
      expect(() => checkRemoteExposure(loadSettings({ HOST, API__READS: 'open' }))).not.toThrow();
  });

  it('allows any HOST when reads need a token (the default)', () => {
    expect(() => checkRemoteExposure(loadSettings({ HOST: '0.0.0.0' }))).not.toThrow();
  });

  it('refuses open reads on a HOST other machines can reach, naming both settings', () => {
    expect(() =>
      checkRemoteExposure(loadSettings({ HOST: '0.0.0.0', API__READS: 'open' })),
    ).toThrow(
      /API__READS: received "open" with HOST "0\.0\.0\.0", which other machines can reach; .*loopback/,
    );
  });
});
