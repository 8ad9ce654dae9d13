/**
 * The API without authentication, as a hostile client meets it: the daemon holds a pending dead
 * letter of a strategy that is running (so a replay would re-deliver it), and every request a
 * browser page elsewhere or a careless client could send to the replay route is refused with its
 * 4xx; the journal of the stopped daemon shows no re-delivery. A HOST other machines can reach
 * stops `start` and `api` with exit 2 before anything is opened.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startDaemon, until, type Daemon } from '../helpers/daemon.js';
import { ROOT, readLmdbJournal, tempConfigDir, tempDir } from '../helpers/system.js';

const RELIANCE = 738561;

/** A strategy that throws on every RELIANCE tick (a lookback it cannot allocate), restarted each time. */
function poisonedConfig(): { path: string; remove: () => void } {
  return tempConfigDir(
    `strategies:
  - id: poisoned
    type: momentum
    brokers: [paper]
    instruments: [${RELIANCE}]
    parameters: { lookback_periods: ${2 ** 32}, threshold: 0.001, position_size: 5 }
`,
    'ap-api-safety-config-',
  );
}

interface Refusal {
  readonly what: string;
  readonly init: RequestInit;
  readonly status: number;
  readonly code: string;
}

const JSON_TYPE = { 'content-type': 'application/json' };
const TWO_MIB = '{"limit": 1, "pad": "' + 'x'.repeat(2 * 2 ** 20) + '"}';

const REFUSALS: Refusal[] = [
  {
    what: 'a cross-origin text/plain post, as a page elsewhere sends it',
    init: {
      method: 'POST',
      headers: { 'content-type': 'text/plain', origin: 'https://evil.example' },
      body: '{}',
    },
    status: 403,
    code: 'CROSS_ORIGIN_WRITE',
  },
  {
    what: 'a cross-site JSON post',
    init: {
      method: 'POST',
      headers: { ...JSON_TYPE, 'sec-fetch-site': 'cross-site' },
      body: '{}',
    },
    status: 403,
    code: 'CROSS_ORIGIN_WRITE',
  },
  {
    what: 'a text/plain post',
    init: { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' },
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
  },
  ...['null', '[]', '"x"'].map((body) => ({
    what: `the body ${body}`,
    init: { method: 'POST', headers: JSON_TYPE, body },
    status: 400,
    code: 'BODY_NOT_AN_OBJECT',
  })),
  {
    what: 'a 2 MiB body with its Content-Length',
    init: { method: 'POST', headers: JSON_TYPE, body: TWO_MIB },
    status: 413,
    code: 'BODY_TOO_LARGE',
  },
  {
    what: 'a 2 MiB body streamed in chunks',
    init: {
      method: 'POST',
      headers: JSON_TYPE,
      body: new Blob([TWO_MIB]).stream(),
      duplex: 'half',
    } as RequestInit,
    status: 413,
    code: 'BODY_TOO_LARGE',
  },
];

function run(command: string, env: Record<string, string>) {
  return spawnSync(process.execPath, [join(ROOT, 'dist', 'main.js'), command], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
}

describe('the HTTP API refuses what it must not act on', () => {
  it('refuses every hostile replay with its 4xx and journals no re-delivery', async () => {
    const config = poisonedConfig();
    let d: Daemon | undefined;
    try {
      d = await startDaemon({
        CONFIG_DIR: config.path,
        FEED__SEED: '5',
        FEED__TICKS_PER_SECOND: '2000',
        FEED__MAX_TICKS: '200',
        SUPERVISOR__MAX_RESTARTS: '1000',
      });
      const daemon = d;
      const replay = `http://127.0.0.1:${daemon.port}/api/v1/dlq/market.ticks/replay`;
      // A dead letter is pending and its strategy runs: a replay now would re-deliver it.
      await until(
        async () => {
          const dlq = await daemon.get('/api/v1/dlq/market.ticks');
          const s = await daemon.get('/api/v1/strategies/poisoned');
          return (dlq.body as { pending: number }).pending > 0 &&
            (s.body as { status: string }).status === 'RUNNING'
            ? true
            : undefined;
        },
        30_000,
        'a pending dead letter of a running strategy',
      );
      const dry = await fetch(replay, {
        method: 'POST',
        headers: { ...JSON_TYPE, ...(await daemon.auth()) },
        body: '{"dryRun":true}',
      });
      expect(dry.status).toBe(200);
      expect(((await dry.json()) as { pending: number }).pending).toBeGreaterThan(0);

      // Without a token, nothing is re-delivered: 401, and the answer says how to get one.
      const anonymous = await fetch(replay, { method: 'POST', headers: JSON_TYPE, body: '{}' });
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(await anonymous.json()).toMatchObject({
        error: { code: 'UNAUTHENTICATED', message: expect.stringContaining('/api/v1/auth/login') },
      });
      const auth = await daemon.auth();
      for (const r of REFUSALS) {
        const res = await fetch(replay, {
          ...r.init,
          headers: { ...(r.init.headers as Record<string, string>), ...auth },
        });
        const body = (await res.json()) as { error: { code: string; message: string } };
        expect([res.status, body.error.code], r.what).toEqual([r.status, r.code]);
        expect(res.headers.get('x-request-id'), r.what).toMatch(/^[0-9a-f-]{36}$/);
      }
      // Nothing was drained.
      const after = await daemon.get('/api/v1/dlq/market.ticks');
      expect((after.body as { pending: number }).pending).toBeGreaterThan(0);
      // The dead letters' errors show no stack and no path.
      expect(JSON.stringify(after.body)).not.toMatch(/stack|\/dist\/|file:/);

      daemon.child.kill('SIGTERM');
      expect((await daemon.exited).code).toBe(0);
      const journal = await readLmdbJournal(daemon.dataDir);
      expect(journal.filter((r) => r.type === 'DeadLettered').length).toBeGreaterThan(0);
      expect(journal.filter((r) => r.type === 'DeadLetterRedelivered')).toEqual([]);
      // Nothing above was a server error (each would be logged with its request id).
      expect(daemon.output()).not.toContain('"requestId"');
    } finally {
      d?.remove();
      config.remove();
    }
  }, 120_000);

  it('stops start and api with exit 2 on open reads on a HOST other machines can reach', () => {
    for (const command of ['start', 'api']) {
      const data = tempDir('ap-api-safety-');
      try {
        const r = run(command, {
          HOST: '0.0.0.0',
          API__READS: 'open',
          DATA_DIR: data.path,
          REDIS_URL: 'redis://127.0.0.1:9/0',
        });
        expect(r.status, command).toBe(2);
        expect(r.stderr).toBe(
          'alpha-panda: API__READS: received "open" with HOST "0.0.0.0", which other machines can reach; reads without a token are allowed on a loopback HOST only (127.0.0.1, ::1 or localhost): unset API__READS (reads then need a token) or use a loopback HOST\n',
        );
        expect(r.stdout).toBe('');
        // Refused before anything was opened.
        expect(existsSync(join(data.path, 'journal'))).toBe(false);
      } finally {
        data.remove();
      }
    }
  });
});
