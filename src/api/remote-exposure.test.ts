import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { loadSettings } from '../config/index.js';
import { ConfigError } from '../runtime/index.js';
import { checkRemoteExposure } from './remote-exposure.js';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const log = pino(
    { level: 'info' },
    { write: (s: string) => void lines.push(JSON.parse(s) as Record<string, unknown>) },
  );
  return { lines, log };
}

describe('checkRemoteExposure', () => {
  it('lets a loopback HOST through silently', () => {
    for (const HOST of [undefined, '127.0.0.1', '::1', 'localhost']) {
      const { lines, log } = capture();
      checkRemoteExposure(loadSettings({ HOST }), log);
      expect(lines).toEqual([]);
    }
  });

  it('refuses any other HOST with one line naming HOST and the override', () => {
    for (const HOST of ['0.0.0.0', '::', '192.168.1.5', 'alpha.lan']) {
      const { lines, log } = capture();
      let err: unknown;
      try {
        checkRemoteExposure(loadSettings({ HOST }), log);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ConfigError);
      const message = (err as Error).message;
      expect(message).not.toContain('\n');
      expect(message).toBe(
        `HOST: received ${JSON.stringify(HOST)}, which other machines can reach, and the HTTP API has no authentication yet; use a loopback HOST (127.0.0.1, ::1 or localhost), or set API__ALLOW_UNAUTHENTICATED_REMOTE=true to expose it anyway`,
      );
      expect(lines).toEqual([]);
    }
  });

  it('with API__ALLOW_UNAUTHENTICATED_REMOTE=true, starts and warns once', () => {
    const { lines, log } = capture();
    checkRemoteExposure(
      loadSettings({ HOST: '0.0.0.0', API__ALLOW_UNAUTHENTICATED_REMOTE: 'true' }),
      log,
    );
    expect(lines).toMatchObject([
      { level: 40, host: '0.0.0.0', setting: 'API__ALLOW_UNAUTHENTICATED_REMOTE' },
    ]);
    expect(() =>
      checkRemoteExposure(
        loadSettings({ HOST: '0.0.0.0', API__ALLOW_UNAUTHENTICATED_REMOTE: 'false' }),
        log,
      ),
    ).toThrow(ConfigError);
  });
});
